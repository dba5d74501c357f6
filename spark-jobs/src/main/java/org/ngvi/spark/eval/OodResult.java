package org.ngvi.spark.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.ngvi.metrics.EntropyDecomposition;
import org.ngvi.metrics.OodMetrics;

/**
 * Out-of-distribution detection of one evaluation: how well the predictive entropy and the mutual
 * information, each used as a score, separate an OOD data set (positives) from the
 * in-distribution one ({@link OodMetrics}: exact AUROC, FPR at 95% TPR).
 *
 * @param data                    the OOD data set
 * @param examples                its number of examples
 * @param aurocEntropy            AUROC of the predictive entropy H[p̄]
 * @param fpr95Entropy            FPR at 95% TPR of H[p̄]
 * @param aurocMutualInformation  AUROC of the mutual information (0.5 for point estimates: all scores 0)
 * @param fpr95MutualInformation  FPR at 95% TPR of the mutual information (1 for point estimates)
 * @param entropy                 mean H[p̄] on the OOD set
 * @param mutualInformation       mean mutual information on the OOD set
 * @param inDistribution          the in-distribution scores the metrics were computed from
 * @param outOfDistribution       the OOD scores the metrics were computed from
 * @param entropyHistogram        histogram of the OOD set's predictive entropies (merged from the tasks), or
 *                                {@code null}
 */
public record OodResult(String data, long examples, double aurocEntropy, double fpr95Entropy, double aurocMutualInformation,
                        double fpr95MutualInformation, double entropy, double mutualInformation,
                        ExampleScores inDistribution, ExampleScores outOfDistribution, ScoreHistogram entropyHistogram) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The metrics of the scores of both sets; {@code oodUncertainty} gives the OOD means. */
    public static OodResult of(String data, ExampleScores inDistribution, ExampleScores outOfDistribution,
                               EntropyDecomposition oodUncertainty) {
        return of(data, inDistribution, outOfDistribution, oodUncertainty, null);
    }

    /** As {@link #of(String, ExampleScores, ExampleScores, EntropyDecomposition)}, keeping the OOD entropy histogram. */
    public static OodResult of(String data, ExampleScores inDistribution, ExampleScores outOfDistribution,
                               EntropyDecomposition oodUncertainty, ScoreHistogram entropyHistogram) {
        float[] inH = inDistribution.entropy();
        float[] oodH = outOfDistribution.entropy();
        double aurocH = OodMetrics.auroc(inH, oodH);
        double fprH = OodMetrics.fpr95(inH, oodH);
        float[] inI = inDistribution.mutualInformation();
        float[] oodI = outOfDistribution.mutualInformation();
        return new OodResult(data, outOfDistribution.size(), aurocH, fprH, OodMetrics.auroc(inI, oodI), OodMetrics.fpr95(inI, oodI),
                oodUncertainty.meanEntropy(), oodUncertainty.meanMutualInformation(), inDistribution, outOfDistribution,
                entropyHistogram);
    }

    /** {@code data}, {@code examples}, {@code auroc_entropy}, {@code fpr95_entropy}, {@code auroc_mutual_information},
     * {@code fpr95_mutual_information}, {@code entropy}, {@code mutual_information}. */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("data", data).put("examples", examples).put("auroc_entropy", aurocEntropy).put("fpr95_entropy", fpr95Entropy)
                .put("auroc_mutual_information", aurocMutualInformation).put("fpr95_mutual_information", fpr95MutualInformation)
                .put("entropy", entropy).put("mutual_information", mutualInformation);
        return n;
    }

    public String summary() {
        return String.format(Locale.ROOT, "OOD %s (%d examples): entropy %.4f (AUROC %.4f, FPR@95 %.4f)  "
                        + "mutual information %.4f (AUROC %.4f, FPR@95 %.4f)", data, examples, entropy, aurocEntropy, fpr95Entropy,
                mutualInformation, aurocMutualInformation, fpr95MutualInformation);
    }
}
