package dev.featurestore.core;

import dev.featurestore.api.StorageException;
import dev.featurestore.api.source.CandleSource;
import dev.featurestore.api.storage.FeatureStorage;
import dev.featurestore.api.storage.StorageConfig;
import dev.featurestore.api.storage.StorageProvider;
import dev.featurestore.core.ingest.Ingest;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.core.snapshot.Snapshots;
import dev.featurestore.core.storage.Candles;
import dev.featurestore.core.storage.InMemoryStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * A feature store: the registry of feature sets, the storage of candles and feature values (the
 * fact layer), and the queries over them. Build one with {@link FeatureStore#builder()}, share it
 * between threads, close it when done.
 *
 * <pre>{@code
 * try (Store store = FeatureStore.builder().storage("jdbc:sqlite:data/featurestore.db").build()) {
 *     store.candles().upsert(oneMinuteCandles);
 *     store.forSet("tech_v2").timeframe("5m").secid("SBER").between(from, to).build();
 *     FeatureWindow w = store.forSet("tech_v2").timeframe("5m").window(120).secid("SBER").asOf(t).fetch();
 * }
 * }</pre>
 *
 * <p>Without {@link Builder#storage(String)} the store keeps everything in memory, so the same
 * API works in unit tests without a database. Thread-safe and immutable once built.
 */
public final class Store implements AutoCloseable {
    private final FeatureRegistry registry;
    private final FeatureStorage storage;
    private final boolean ownsStorage;
    private final Candles candles;

    private Store(FeatureRegistry registry, FeatureStorage storage, boolean ownsStorage) {
        this.registry = registry;
        this.storage = storage;
        this.ownsStorage = ownsStorage;
        this.candles = new Candles(storage, registry.calendar());
    }

    /**
     * A query over one feature set, computed from candles you hand it or, once instruments are
     * named ({@link FeatureQuery#secid(String)}), over the stored ones. The name is checked at once.
     *
     * @param featureSet the feature set's name as the registry spells it, e.g. {@code tech_v2}
     * @return an immutable query step with no timeframe, window or instruments chosen yet
     * @throws dev.featurestore.api.UnknownFeatureSetException listing the known sets
     */
    public FeatureQuery forSet(String featureSet) {
        return new FeatureQuery(this, registry.featureSet(featureSet));
    }

    /** {@return the registry this store reads feature sets from, fixed when the store was built} */
    public FeatureRegistry registry() {
        return registry;
    }

    /** {@return the stored candles: ingest ({@code upsert}) and read them} */
    public Candles candles() {
        return candles;
    }

    /**
     * A resumable backfill of candles from {@code source} into this store:
     * {@code store.ingest(source).secids("SBER").timeframe("1m").between(from, to).run()}.
     * See {@link Ingest}.
     *
     * @param source where the candles come from, e.g. a {@code MoexIssSource} or a {@code CsvCandleSource}
     * @return an immutable ingest step with no secids, timeframe or range chosen yet
     */
    public Ingest ingest(CandleSource source) {
        return Ingest.of(candles, source);
    }

    /**
     * The snapshot audit log ({@code train_data_snapshots}): find the records of exported
     * snapshots by feature set, timeframe, secid, date or hash, and read a snapshot back, verifying
     * its SHA-256. Snapshots are written with {@link StoredQuery#export(String, Path)}.
     *
     * <pre>{@code
     * List<SnapshotRecord> rows = store.snapshots().find(SnapshotQuery.all().featureSet("tech_v2").secid("SBER"));
     * List<FeatureFrame> frames = store.snapshots().read(rows.get(0));   // throws if the file changed
     * }</pre>
     *
     * @return the snapshot log of this store's storage (a new view on each call, over the same rows)
     * @throws dev.featurestore.api.FeatureStoreException when the storage keeps no snapshot log
     *     (every storage of this library keeps one)
     */
    public Snapshots snapshots() {
        return new Snapshots(storage);
    }

    /** {@return the storage backend this store keeps its facts in (in memory unless a URL was given)} */
    public FeatureStorage storage() {
        return storage;
    }

    /**
     * Releases what the store holds: the storage it opened from a URL (its connections and files),
     * or the in-memory one it made. A storage handed to {@link Builder#storage(FeatureStorage)}
     * stays open: its owner closes it, so several stores can share one. Queries made from the
     * store must not be used afterwards.
     */
    @Override
    public void close() {
        if (ownsStorage) {
            storage.close();
        }
    }

    @Override
    public String toString() {
        return "Store[" + registry + ", " + storage + "]";
    }

    /**
     * Settings of a {@link Store}. One builder makes one store: after {@link #build()} every
     * further call on it is an {@link IllegalStateException} (take a new {@link
     * FeatureStore#builder()} for another store). Not thread-safe.
     */
    public static final class Builder {
        private FeatureRegistry registry;
        private FeatureStorage storage;
        private String url;
        private String user;
        private String password;
        private final Map<String, String> options = new LinkedHashMap<>();
        private boolean built;

        Builder() {
        }

        private void requireUnbuilt() {
            if (built) {
                throw new IllegalStateException("this Store.Builder has built its store already; a builder makes "
                        + "one store: take a new FeatureStore.builder() for another");
            }
        }

        /**
         * Reads the registry from a YAML file (default: as {@link FeatureStore#shared()} finds it).
         * The file is read at once, not at {@link #build()}.
         *
         * @param file the registry file, e.g. {@code config/feature_store.yaml}
         * @return this builder
         * @throws dev.featurestore.api.RegistryException naming file, line and key when the file cannot be read or is invalid
         */
        public Builder registry(Path file) {
            requireUnbuilt();
            this.registry = FeatureRegistry.load(Objects.requireNonNull(file, "file"));
            return this;
        }

        /**
         * Uses a registry already read.
         *
         * @param registry the registry, e.g. from {@link FeatureRegistry#load(Path)}
         * @return this builder
         */
        public Builder registry(FeatureRegistry registry) {
            requireUnbuilt();
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Keeps candles and features in the storage at this URL, e.g.
         * {@code jdbc:sqlite:data/featurestore.db} or {@code jdbc:postgresql://host/db}; the
         * storage is found among the {@link StorageProvider}s on the class path (featurestore-jdbc
         * provides SQLite and PostgreSQL). Default: in memory. Replaces a storage given before.
         *
         * @param url the storage URL, not blank; it is matched against the providers at {@link #build()}
         * @return this builder
         * @throws IllegalArgumentException when the URL is blank
         */
        public Builder storage(String url) {
            requireUnbuilt();
            Objects.requireNonNull(url, "url");
            if (url.isBlank()) {
                throw new IllegalArgumentException("storage URL is blank; give e.g. jdbc:sqlite:featurestore.db");
            }
            this.url = url;
            this.storage = null;
            return this;
        }

        /**
         * Keeps candles and features in a storage already open (your own implementation, or one
         * wrapped for a test). The caller keeps it: closing the store leaves it open, so that
         * several stores can share it; close it yourself once every store over it is done.
         * Options, user and password are for storages opened from a URL and are refused with it.
         * Replaces a URL given before.
         *
         * @param storage an open storage, closed by its owner rather than by the store
         * @return this builder
         */
        public Builder storage(FeatureStorage storage) {
            requireUnbuilt();
            this.storage = Objects.requireNonNull(storage, "storage");
            this.url = null;
            return this;
        }

        /**
         * The database user, for storages that need one.
         *
         * @param user the user name, passed to the storage as it is
         * @return this builder
         */
        public Builder user(String user) {
            requireUnbuilt();
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /**
         * The database password, for storages that need one.
         *
         * @param password the password, passed to the storage as it is (its config never prints it)
         * @return this builder
         */
        public Builder password(String password) {
            requireUnbuilt();
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * A backend option (for example a pool size), passed to the storage as it is. A key given
         * twice keeps the later value.
         *
         * @param key the option's name, as the storage documents it
         * @param value the option's value, as text
         * @return this builder
         */
        public Builder option(String key, String value) {
            requireUnbuilt();
            options.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * The store, opening (and, where needed, creating or migrating) its storage.
         *
         * @return the store, to be closed by the caller
         * @throws IllegalStateException when this builder has built a store already, or a user,
         *     password or option was given without a storage URL (they would configure nothing)
         * @throws StorageException when no storage provider accepts the URL (the message lists the
         *     accepted forms) or the storage cannot be opened
         */
        public Store build() {
            requireUnbuilt();
            if (url == null) {
                List<String> unused = new ArrayList<>();
                if (user != null) {
                    unused.add("user(...)");
                }
                if (password != null) {
                    unused.add("password(...)");
                }
                options.keySet().forEach(k -> unused.add("option(\"" + k + "\", ...)"));
                if (!unused.isEmpty()) {
                    throw new IllegalStateException(String.join(", ", unused) + " configure a storage opened from a URL, "
                            + "but " + (storage != null ? "the store was given an open storage(FeatureStorage)"
                                    : "no storage(url) was given, so the store would keep everything in memory")
                            + "; give storage(\"jdbc:sqlite:...\") or remove them");
                }
            }
            FeatureRegistry reg = registry != null ? registry : FeatureStore.defaultRegistry();
            Store store = storage != null ? new Store(reg, storage, false)
                    : new Store(reg, url == null ? new InMemoryStorage()
                            : open(new StorageConfig(url, user, password, options)), true);
            built = true;
            return store;
        }

        private static FeatureStorage open(StorageConfig config) {
            List<String> forms = new ArrayList<>();
            for (StorageProvider provider : providers()) {
                if (provider.accepts(config.url())) {
                    return provider.open(config);
                }
                forms.addAll(provider.urlForms());
            }
            throw new StorageException("no storage accepts the URL '" + config.url() + "'; accepted forms: "
                    + (forms.isEmpty() ? "none (no storage provider is on the class path; add featurestore-jdbc for "
                            + "jdbc:sqlite:<file> and jdbc:postgresql://<host>[:<port>]/<database>)"
                            : String.join(", ", forms))
                    + "; leave the storage unset for an in-memory store", null);
        }

        private static List<StorageProvider> providers() {
            List<StorageProvider> out = new ArrayList<>();
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            for (ClassLoader loader : new ClassLoader[] {context, Store.class.getClassLoader()}) {
                if (loader == null) {
                    continue;
                }
                for (StorageProvider p : ServiceLoader.load(StorageProvider.class, loader)) {
                    if (out.stream().noneMatch(q -> q.getClass() == p.getClass())) {
                        out.add(p);
                    }
                }
            }
            return out;
        }
    }
}
