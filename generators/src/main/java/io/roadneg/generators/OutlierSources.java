package io.roadneg.generators;

import io.roadneg.datasets.InputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The registry of outlier sources: every {@link OutlierSourceProvider} on the class path, sorted by type so lists and
 * help read the same in every process.
 */
public final class OutlierSources {
    private static final List<OutlierSourceProvider> ALL = load();

    private OutlierSources() {
    }

    private static List<OutlierSourceProvider> load() {
        Map<String, OutlierSourceProvider> byType = new LinkedHashMap<>();
        for (OutlierSourceProvider p : ServiceLoader.load(OutlierSourceProvider.class,
                OutlierSourceProvider.class.getClassLoader())) {
            OutlierSourceProvider old = byType.putIfAbsent(p.type(), p);
            if (old != null && old.getClass() != p.getClass()) {
                throw new IllegalStateException("two outlier sources named " + p.type() + ": "
                        + old.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        List<OutlierSourceProvider> all = new ArrayList<>(byType.values());
        all.sort(Comparator.comparing(OutlierSourceProvider::type));
        return List.copyOf(all);
    }

    /** Every provider, sorted by type. */
    public static List<OutlierSourceProvider> all() {
        return ALL;
    }

    /** Every source type, sorted. */
    public static List<String> types() {
        return ALL.stream().map(OutlierSourceProvider::type).toList();
    }

    /** The provider of a type, if any. */
    public static Optional<OutlierSourceProvider> find(String type) {
        return ALL.stream().filter(p -> p.type().equals(type)).findFirst();
    }

    /** The provider of a type; an unknown type is an input error naming {@code field} and listing the known. */
    public static OutlierSourceProvider get(String type, String field) {
        return find(type).orElseThrow(() -> new InputException(null, field, type, "unknown outlier source; known: "
                + String.join(", ", types())));
    }

    /** The provider whose config record {@code config} is. */
    public static OutlierSourceProvider of(PasteConfig.Source config) {
        return ALL.stream().filter(p -> p.configType().isInstance(config)).findFirst().orElseThrow(
                () -> new IllegalStateException("no outlier source provider for " + config.getClass().getName()));
    }

    /** The config records of every source, registered with the config mapper when a recipe is bound. */
    public static List<Class<?>> configTypes() {
        return ALL.stream().<Class<?>>map(OutlierSourceProvider::configType).toList();
    }

    /** Every dataset root any source reads, once each by name, in provider order. */
    public static List<OutlierSourceProvider.DatasetRoot> roots() {
        Map<String, OutlierSourceProvider.DatasetRoot> m = new LinkedHashMap<>();
        for (OutlierSourceProvider p : ALL) {
            for (OutlierSourceProvider.DatasetRoot r : p.roots()) {
                m.putIfAbsent(r.name(), r);
            }
        }
        return List.copyOf(m.values());
    }

    /**
     * What {@code gen doctor} says of a root: the check of the first source that declares it; null when no source
     * does.
     */
    public static OutlierSourceProvider.RootCheck check(String rootName, java.nio.file.Path path) {
        for (OutlierSourceProvider p : ALL) {
            for (OutlierSourceProvider.DatasetRoot r : p.roots()) {
                if (r.name().equals(rootName)) {
                    return p.check(r, path);
                }
            }
        }
        return null;
    }

    /** Opens the source of a recipe's source section. */
    public static OutlierSource open(PasteConfig.Source config, SourceContext context) {
        return of(config).open(config, context);
    }
}
