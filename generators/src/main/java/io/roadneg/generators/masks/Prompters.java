package io.roadneg.generators.masks;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Opens prompters by spec through the {@link PrompterProvider}s on the class path. */
public final class Prompters {
    private Prompters() {
    }

    /** The schemes available on the class path, sorted. */
    public static List<String> schemes() {
        List<String> out = new ArrayList<>();
        for (PrompterProvider p : ServiceLoader.load(PrompterProvider.class)) {
            out.add(p.scheme());
        }
        out.sort(null);
        return out;
    }

    /** Opens {@code scheme[:argument]}; an unknown scheme is an {@link IllegalArgumentException} listing the known. */
    public static PromptableSegmenter open(String spec) {
        int colon = spec.indexOf(':');
        String scheme = colon < 0 ? spec : spec.substring(0, colon);
        String argument = colon < 0 ? "" : spec.substring(colon + 1);
        for (PrompterProvider p : ServiceLoader.load(PrompterProvider.class)) {
            if (p.scheme().equals(scheme)) {
                return p.open(argument);
            }
        }
        throw new IllegalArgumentException("prompter = " + spec + ": unknown scheme '" + scheme + "', available: "
                + String.join(", ", schemes()));
    }
}
