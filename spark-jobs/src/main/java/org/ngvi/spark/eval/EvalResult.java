package org.ngvi.spark.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.ngvi.metrics.ClassificationMetrics;
import org.ngvi.metrics.MetricsResult;

/**
 * Metrics of one evaluation.
 *
 * @param metrics    accuracy, NLL, ECE, Brier, entropy over {@code metrics.examples()} examples
 * @param mcSamples  K weight samples per prediction (0: mean weights)
 * @param histogram  the merged accumulator (per-bin counts for reliability diagrams)
 */
public record EvalResult(MetricsResult metrics, int mcSamples, ClassificationMetrics histogram) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code accuracy}, {@code nll}, {@code ece}, {@code brier}, {@code entropy}, {@code examples}, {@code mc_samples}. */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("accuracy", metrics.accuracy()).put("nll", metrics.nll()).put("ece", metrics.ece())
                .put("brier", metrics.brier()).put("entropy", metrics.entropy()).put("examples", metrics.examples())
                .put("mc_samples", mcSamples);
        return n;
    }

    public String summary() {
        return String.format(Locale.ROOT, "accuracy %.4f  nll %.4f  ece %.4f  brier %.4f  entropy %.4f  (%d examples, %d MC samples)",
                metrics.accuracy(), metrics.nll(), metrics.ece(), metrics.brier(), metrics.entropy(), metrics.examples(), mcSamples);
    }
}
