package dev.featurestore.core.registry;

import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.FeatureSetSpec;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.indicator.Indicator;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical bytes of a feature set's definition and their SHA-256, as
 * {@link FeatureRegistry#fingerprint(FeatureSetSpec)} documents them. Not public API: the
 * encoding is specified there, and a change to it is a change of every fingerprint.
 */
final class SetFingerprint {
    /** The first field of the encoding, naming it. */
    static final String MAGIC = "featurestore.feature_set_fingerprint";
    /** The version of the encoding itself. */
    static final int ENCODING_VERSION = 1;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);

    private SetFingerprint() {
    }

    /**
     * The fingerprint of {@code spec}: lower-case hex SHA-256 of {@link #encode}.
     *
     * @param versions the definition version of each feature's provider, by feature name
     * @throws IllegalArgumentException naming the feature and parameter whose value has no
     *     stable encoding
     */
    static String of(FeatureSetSpec spec, List<Indicator> indicators, Map<String, String> versions, ZoneId zone) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        return HexFormat.of().formatHex(md.digest(encode(spec, indicators, versions, zone)));
    }

    /** The canonical bytes (see {@link FeatureRegistry#fingerprint(FeatureSetSpec)}). */
    static byte[] encode(FeatureSetSpec spec, List<Indicator> indicators, Map<String, String> versions, ZoneId zone) {
        SetFingerprint e = new SetFingerprint();
        e.string(MAGIC);
        e.int32(ENCODING_VERSION);
        e.int32(indicators.size());
        for (Indicator i : indicators) {
            e.string(i.name());
            e.string(i.kind() == FeatureKind.NUMERIC ? "numeric" : "categorical");
            e.int32(i.inputs().size());
            for (String input : i.inputs()) {
                e.string(input);
            }
            e.int32(i.firstDefinedRow());
            Map<String, Object> sorted = new TreeMap<>(i.parameters());
            e.int32(sorted.size());
            for (Map.Entry<String, Object> p : sorted.entrySet()) {
                e.string(p.getKey());
                e.value(p.getValue(), i.name(), p.getKey());
            }
            e.string(versions.get(i.name()));
        }
        List<Timeframe> timeframes = new ArrayList<>(spec.timeframes());
        timeframes.sort(null);
        e.int32(timeframes.size());
        for (Timeframe tf : timeframes) {
            e.string(tf.toString());
            e.int64(tf.millis());
            if (tf.isDaily()) {
                e.string("exchange_day");
                e.string(zone.getId());
            } else {
                e.string("utc_floor");
            }
        }
        return e.out.toByteArray();
    }

    private void value(Object v, String feature, String key) {
        if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long
                || v instanceof BigInteger && ((BigInteger) v).bitLength() < 64) {
            out.write('I');
            int64(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            out.write('D');
            int64(Double.doubleToLongBits(((Number) v).doubleValue()));
        } else if (v instanceof Boolean) {
            out.write('B');
            out.write((Boolean) v ? 1 : 0);
        } else if (v instanceof CharSequence || v instanceof Character) {
            out.write('S');
            string(v.toString());
        } else if (v instanceof Enum) {
            out.write('E');
            string(((Enum<?>) v).name());
        } else if (v instanceof List) {
            List<?> list = (List<?>) v;
            out.write('L');
            int32(list.size());
            for (Object item : list) {
                value(item, feature, key);
            }
        } else {
            throw new IllegalArgumentException("feature '" + feature + "': parameter '" + key + "' is a "
                    + (v == null ? "null" : v.getClass().getName()) + ", which has no stable encoding for the feature"
                    + " set's fingerprint; use a whole number, a double, a boolean, a string, an enum or a list of them");
        }
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int32(b.length);
        out.writeBytes(b);
    }

    private void int32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private void int64(long v) {
        int32((int) (v >>> 32));
        int32((int) v);
    }
}
