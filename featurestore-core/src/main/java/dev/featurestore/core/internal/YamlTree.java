package dev.featurestore.core.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.featurestore.api.RegistryException;
import java.io.IOException;
import java.io.Reader;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read with Jackson's YAML parser into a small tree that remembers the line of
 * every node, so that registry errors can name the line; with the checks that read a node as what
 * a key expects. Shared by the registry and the quality section's reader. Not public API.
 */
public final class YamlTree {
    private YamlTree() {
    }

    /** A node: a mapping, a sequence or a scalar, with its 1-based line and dotted path. */
    public abstract static class Node {
        /** The 1-based line of the node. */
        public final int line;
        /** The dotted path of the node from the root, e.g. {@code quality.session.open}. */
        public final String path;

        Node(int line, String path) {
            this.line = line;
            this.path = path;
        }

        /** What the node is, for messages: "a mapping", "a list", "nothing" or the quoted value. */
        public abstract String describe();
    }

    /** A mapping, its entries in the file's order. */
    public static final class MapNode extends Node {
        /** The entries by key, in the file's order. */
        public final Map<String, Node> entries = new LinkedHashMap<>();

        MapNode(int line, String path) {
            super(line, path);
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A sequence. */
    public static final class ListNode extends Node {
        /** The items, in order. */
        public final List<Node> items = new ArrayList<>();

        ListNode(int line, String path) {
            super(line, path);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A scalar: its text, or null ({@code ~} or nothing). */
    public static final class ScalarNode extends Node {
        /** The text as written, null when {@link #isNull}. */
        public final String text;
        /** Whether the value is null ({@code ~} or nothing). */
        public final boolean isNull;

        ScalarNode(int line, String path, String text, boolean isNull) {
            super(line, path);
            this.text = text;
            this.isNull = isNull;
        }

        @Override
        public String describe() {
            return isNull ? "nothing" : "'" + text + "'";
        }
    }

    /**
     * Reads a YAML document into a tree.
     *
     * @param source names the document in errors
     * @throws RegistryException when the text is empty, not YAML, has a duplicate key, or cannot be read
     */
    public static Node read(String source, Reader reader) {
        YAMLFactory factory = YAMLFactory.builder().build();
        try (JsonParser p = factory.createParser(reader)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new RegistryException(source, 0, null, "the file is empty");
            }
            Node root = readValue(source, p, "");
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new RegistryException(source, loc == null ? 0 : loc.getLineNr(), null,
                    "not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new RegistryException(source, 0, null, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static Node readValue(String source, JsonParser p, String path) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT: {
                MapNode map = new MapNode(line, path);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    if (map.entries.containsKey(key)) {
                        throw new RegistryException(source, keyLine, childPath, "duplicate key '" + key + "'");
                    }
                    p.nextToken();
                    map.entries.put(key, readValue(source, p, childPath));
                }
                return map;
            }
            case START_ARRAY: {
                ListNode list = new ListNode(line, path);
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.items.add(readValue(source, p, path + "[" + i++ + "]"));
                }
                return list;
            }
            case VALUE_NULL:
                return new ScalarNode(line, path, null, true);
            default:
                return new ScalarNode(line, path, p.getText(), false);
        }
    }

    /**
     * The value of {@code key} in {@code map}.
     *
     * @throws RegistryException when the key is missing
     */
    public static Node require(String source, MapNode map, String key) {
        Node node = map.entries.get(key);
        if (node == null) {
            throw new RegistryException(source, map.line, map.path + "." + key, "missing key '" + key + "'");
        }
        return node;
    }

    /**
     * Checks that every key of {@code map} is one of {@code valid}.
     *
     * @throws RegistryException naming the first unknown key and the valid ones
     */
    public static void checkKeys(String source, MapNode map, List<String> valid) {
        for (Map.Entry<String, Node> e : map.entries.entrySet()) {
            if (!valid.contains(e.getKey())) {
                throw new RegistryException(source, e.getValue().line, e.getValue().path,
                        "unknown key '" + e.getKey() + "'; valid keys here are " + valid);
            }
        }
    }

    /**
     * The node as a mapping.
     *
     * @throws RegistryException when it is something else
     */
    public static MapNode asMap(String source, Node node) {
        if (node instanceof MapNode) {
            return (MapNode) node;
        }
        throw new RegistryException(source, node.line, node.path.isEmpty() ? null : node.path,
                "expected a mapping, found " + node.describe());
    }

    /**
     * The node as a list.
     *
     * @throws RegistryException when it is something else
     */
    public static ListNode asList(String source, Node node) {
        if (node instanceof ListNode) {
            return (ListNode) node;
        }
        throw new RegistryException(source, node.line, node.path, "expected a list, found " + node.describe());
    }

    /**
     * The text of a scalar that is not null.
     *
     * @throws RegistryException when the node is null, a mapping or a list
     */
    public static String scalar(String source, Node node) {
        if (node instanceof ScalarNode && !((ScalarNode) node).isNull) {
            return ((ScalarNode) node).text;
        }
        throw new RegistryException(source, node.line, node.path, "expected a value, found " + node.describe());
    }

    /**
     * The node as a time-zone region id.
     *
     * @throws RegistryException when it names no known zone
     */
    public static ZoneId zone(String source, Node tz) {
        try {
            return ZoneId.of(scalar(source, tz));
        } catch (DateTimeException e) {
            throw new RegistryException(source, tz.line, tz.path, "unknown time zone '" + scalar(source, tz)
                    + "'; use a region id such as Europe/Moscow or UTC");
        }
    }
}
