package io.roadneg.generators;

import java.util.HashMap;
import java.util.Map;

/** The id-to-index bookkeeping for sources whose items are a fixed, ordered list (extend it in a new source). */
public abstract class IndexedSource implements OutlierSource {
    private Map<String, Integer> index;

    @Override
    public final synchronized int indexOf(String itemId) {
        if (index == null) {
            Map<String, Integer> m = new HashMap<>(size() * 2);
            for (int i = 0; i < size(); i++) {
                m.put(itemId(i), i);
            }
            index = m;
        }
        return index.getOrDefault(itemId, -1);
    }
}
