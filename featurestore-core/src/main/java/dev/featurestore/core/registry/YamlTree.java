package dev.featurestore.core.registry;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.featurestore.api.RegistryException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read with Jackson's YAML parser into a small tree that remembers the line of
 * every node, so that registry errors can name the line.
 */
final class YamlTree {
    private YamlTree() {
    }

    /** A node: a mapping, a sequence or a scalar, with its 1-based line and dotted path. */
    abstract static class Node {
        final int line;
        final String path;

        Node(int line, String path) {
            this.line = line;
            this.path = path;
        }

        abstract String describe();
    }

    static final class MapNode extends Node {
        final Map<String, Node> entries = new LinkedHashMap<>();

        MapNode(int line, String path) {
            super(line, path);
        }

        @Override
        String describe() {
            return "a mapping";
        }
    }

    static final class ListNode extends Node {
        final List<Node> items = new ArrayList<>();

        ListNode(int line, String path) {
            super(line, path);
        }

        @Override
        String describe() {
            return "a list";
        }
    }

    static final class ScalarNode extends Node {
        final String text;
        final boolean isNull;

        ScalarNode(int line, String path, String text, boolean isNull) {
            super(line, path);
            this.text = text;
            this.isNull = isNull;
        }

        @Override
        String describe() {
            return isNull ? "nothing" : "'" + text + "'";
        }
    }

    static Node read(String source, Reader reader) {
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
}
