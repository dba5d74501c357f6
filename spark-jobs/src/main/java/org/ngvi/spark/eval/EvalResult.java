package org.ngvi.spark.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.ngvi.metrics.ClassificationMetrics;
import org.ngvi.metrics.MetricsResult;

/**
 * Metrics of one evaluation.
 *
 * @param metrics           accuracy, NLL, ECE, Brier, entropy over {@code metrics.examples()} examples
 * @param mutualInformation mean mutual information (1/N) Σᵢ (H[p̄ᵢ] − (1/K) Σ_k H[p_kᵢ]), the epistemic part
 *                          of the entropy (BALD); 0 for point estimates and K = 0
 * @param mcSamples         K samples per prediction (0: mean weights)
 * @param predictive        how they were drawn: {@code weight_samples}, {@code mc_dropout} or {@code mean_weights}
 *                          ({@link Predictive.Method#json()})
 * @param histogram         the merged accumulator (per-bin counts for reliability diagrams)
 * @param entropyHistogram  counts of the predictive entropy H[p̄] in equal bins over [0, log C]
 * @param ood               out-of-distribution detection against another data set, or {@code null}
 */
public record EvalResult(MetricsResult metrics, double mutualInformation, int mcSamples, String predictive,
                         ClassificationMetrics histogram, ScoreHistogram entropyHistogram, OodResult ood) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** This result with {@code ood} attached. */
    public EvalResult withOod(OodResult o) {
        return new EvalResult(metrics, mutualInformation, mcSamples, predictive, histogram, entropyHistogram, o);
    }

    /**
     * {@code accuracy}, {@code nll}, {@code ece}, {@code brier}, {@code entropy}, {@code mutual_information},
     * {@code examples}, {@code mc_samples}, {@code predictive}, and {@code ood} ({@link OodResult#toJson()}) when present.
     */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("accuracy", metrics.accuracy()).put("nll", metrics.nll()).put("ece", metrics.ece())
                .put("brier", metrics.brier()).put("entropy", metrics.entropy()).put("mutual_information", mutualInformation)
                .put("examples", metrics.examples()).put("mc_samples", mcSamples).put("predictive", predictive);
        if (ood != null) {
            n.set("ood", ood.toJson());
        }
        return n;
    }

    public String summary() {
        String s = String.format(Locale.ROOT, "accuracy %.4f  nll %.4f  ece %.4f  brier %.4f  entropy %.4f  mutual information %.4f"
                        + "  (%d examples, %s, K = %d)", metrics.accuracy(), metrics.nll(), metrics.ece(), metrics.brier(),
                metrics.entropy(), mutualInformation, metrics.examples(), predictive, mcSamples);
        return ood == null ? s : s + "\n" + ood.summary();
    }
}
