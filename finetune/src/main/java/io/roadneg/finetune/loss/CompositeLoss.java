package io.roadneg.finetune.loss;

import io.roadneg.flows.nn.Scalars;
import ai.djl.ndarray.NDArray;
import io.roadneg.finetune.model.Head;
import io.roadneg.finetune.model.SegOutput;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A weighted sum of named terms; each term's unweighted value is reported so logs show them apart. */
public final class CompositeLoss {
    /** A term and its weight. */
    public record Weighted(LossTerm term, double weight) {
    }

    /**
     * The total (to differentiate) and each term's unweighted value, kept on the device: {@link #terms()} reads them
     * back (one host round trip per term), so a step reads them only when it logs.
     */
    public record Value(NDArray total, List<String> names, List<NDArray> parts) {
        /** Each term's value by name, in the recipe's order (reads them back from the device). */
        public Map<String, Float> terms() {
            Map<String, Float> values = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                values.put(names.get(i), parts.get(i).getFloat());
            }
            return values;
        }
    }

    private final String name;
    private final List<Weighted> terms;

    /** A composite named after its recipe. */
    public CompositeLoss(String name, List<Weighted> terms) {
        this.name = name;
        this.terms = List.copyOf(terms);
    }

    /** The recipe's name. */
    public String name() {
        return name;
    }

    /** The terms with their weights. */
    public List<Weighted> terms() {
        return terms;
    }

    /** Heads any term needs. */
    public Set<Head> needs() {
        Set<Head> s = EnumSet.noneOf(Head.class);
        for (Weighted w : terms) {
            s.addAll(w.term().needs());
        }
        return s;
    }

    /** Whether a term needs an RPL network (frozen base plus residual). */
    public boolean needsResidual() {
        return terms.stream().anyMatch(w -> w.term().needsResidual());
    }

    /** Evaluates every term (on the device; nothing is read back). */
    public Value compute(SegOutput out, Targets t) {
        NDArray total = null;
        List<String> names = new ArrayList<>();
        List<NDArray> parts = new ArrayList<>();
        for (Weighted w : terms) {
            if (w.weight() == 0) {
                continue;
            }
            NDArray v = w.term().compute(out, t);
            names.add(w.term().name());
            parts.add(v);
            NDArray weighted = w.weight() == 1 ? v : Scalars.times(v, w.weight());
            total = total == null ? weighted : total.add(weighted);
        }
        return new Value(total, List.copyOf(names), List.copyOf(parts));
    }
}
