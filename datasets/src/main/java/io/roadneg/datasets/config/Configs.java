package io.roadneg.datasets.config;

import io.roadneg.datasets.io.JsonErrors;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.roadneg.datasets.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Loads configs: a base tree (a preset or defaults), then a YAML file merged over it, then {@code key.sub=value}
 * overrides, bound to a record whose compact constructor validates. Unknown keys are errors, and every error names the
 * file, the key path and the value.
 */
public final class Configs {
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .findAndRegisterModules();

    private Configs() {
    }

    /** The shared YAML mapper (strict: unknown keys fail). */
    public static ObjectMapper yaml() {
        return YAML;
    }

    /** Reads a YAML file to a tree; an empty file is an empty object. */
    public static ObjectNode readTree(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputException(file, null, null, "config file not found");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return asObject(YAML.readTree(in), file);
        } catch (JsonProcessingException e) {
            throw new InputException(file, null, null, "malformed YAML" + JsonErrors.where(e) + ": "
                    + JsonErrors.message(e), e);
        } catch (IOException e) {
            throw new InputException(file, null, null, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a YAML classpath resource (a bundled preset) to a tree. */
    public static ObjectNode readResource(String resource) {
        return readResource(Configs.class.getClassLoader(), resource);
    }

    /** Reads a YAML resource of {@code loader} (a preset a plug-in module ships) to a tree. */
    public static ObjectNode readResource(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled resource " + resource);
            }
            return asObject(YAML.readTree(in), Path.of(resource));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bundled resource " + resource, e);
        }
    }

    private static ObjectNode asObject(JsonNode n, Path file) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            throw new InputException(file, null, null, "a config must be a YAML mapping, found " + n.getNodeType());
        }
        return (ObjectNode) n;
    }

    /** Deep-merges {@code over} into {@code base} (objects merge key by key; anything else replaces). */
    public static ObjectNode merge(ObjectNode base, ObjectNode over) {
        ObjectNode out = base.deepCopy();
        over.fields().forEachRemaining(e -> {
            JsonNode cur = out.get(e.getKey());
            if (cur instanceof ObjectNode co && e.getValue() instanceof ObjectNode eo) {
                out.set(e.getKey(), merge(co, eo));
            } else {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return out;
    }

    /**
     * Applies {@code a.b.c=value} overrides; the value is parsed as a YAML scalar or flow collection, so
     * {@code 3}, {@code true}, {@code [a, b]} keep their types. Intermediate objects are created as needed.
     */
    public static ObjectNode override(ObjectNode base, Map<String, String> overrides) {
        ObjectNode out = base.deepCopy();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey();
            if (key.isBlank() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
                throw new InputException(null, "--set", key + "=" + e.getValue(), "key must be a.b.c");
            }
            JsonNode value;
            try {
                value = YAML.readTree(e.getValue().isEmpty() ? "''" : e.getValue());
            } catch (JsonProcessingException ex) {
                throw new InputException(null, "--set " + key, e.getValue(), "not a YAML value", ex);
            }
            String[] parts = key.split("\\.");
            ObjectNode node = out;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = node.get(parts[i]);
                if (child == null || child.isNull()) {
                    child = node.putObject(parts[i]);
                } else if (!child.isObject()) {
                    throw new InputException(null, "--set " + key, e.getValue(),
                            "'" + parts[i] + "' is not a section (it holds " + child + ")");
                }
                node = (ObjectNode) child;
            }
            node.set(parts[parts.length - 1], value);
        }
        return out;
    }

    /**
     * Binds a tree to {@code type}, turning Jackson's errors into {@link InputException}s that name the file, the key
     * path and the value.
     */
    public static <T> T bind(ObjectNode tree, Class<T> type, Path file) {
        return bind(tree, type, file, List.of());
    }

    /**
     * As {@link #bind(ObjectNode, Class, Path)}, with {@code subtypes} (records named by {@code @JsonTypeName})
     * registered for the polymorphic sections, so modules add types without the base type listing them.
     */
    public static <T> T bind(ObjectNode tree, Class<T> type, Path file, Collection<Class<?>> subtypes) {
        ObjectMapper mapper = YAML;
        if (!subtypes.isEmpty()) {
            mapper = YAML.copy();
            mapper.registerSubtypes(subtypes.toArray(new Class<?>[0]));
        }
        try {
            return mapper.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : "; known keys: " + e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            throw new InputException(file, path(e, e.getPropertyName()), null, "unknown key" + known, e);
        } catch (InvalidTypeIdException e) {
            throw new InputException(file, path(e, null), e.getTypeId(), "unknown type", e);
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new InputException(file, path(e, null), null, c.getMessage(), e);
        } catch (MismatchedInputException e) {
            if (String.valueOf(e.getOriginalMessage()).startsWith("Cannot map `null`")) {
                throw new InputException(file, path(e, null), null, "required key is missing", e);
            }
            throw new InputException(file, path(e, null), null, "wrong type: " + e.getOriginalMessage(), e);
        } catch (JsonMappingException e) {
            throw new InputException(file, path(e, null), null, e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new InputException(file, null, null, e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            Throwable c = e.getCause() instanceof ValueInstantiationException v && v.getCause() != null ? v.getCause()
                    : e;
            throw new InputException(file, null, null, c.getMessage(), e);
        }
    }

    /**
     * The usual pipeline: {@code base} (may be empty), merged with {@code file} if given, then overrides, bound to
     * {@code type}.
     */
    public static <T> T load(ObjectNode base, Path file, Map<String, String> overrides, Class<T> type) {
        return load(base, file, overrides, type, List.of());
    }

    /** As {@link #load(ObjectNode, Path, Map, Class)}, binding with {@code subtypes} registered. */
    public static <T> T load(ObjectNode base, Path file, Map<String, String> overrides, Class<T> type,
            Collection<Class<?>> subtypes) {
        ObjectNode tree = base == null ? JsonNodeFactory.instance.objectNode() : base;
        if (file != null) {
            tree = merge(tree, readTree(file));
        }
        tree = override(tree, overrides == null ? Map.of() : overrides);
        return bind(tree, type, file, subtypes);
    }

    /** Serialises a config to YAML text (for provenance and {@code --dump-config}). */
    public static String toYaml(Object config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(JsonMappingException e, String leaf) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        if (leaf != null && (sb.length() == 0 || !sb.toString().endsWith(leaf))) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(leaf);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

}
