package org.ngvi.spark.continual;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.ngvi.metrics.MetricsResult;

/**
 * What one method reached: after training task t (row t − 1), the test metrics of every task
 * j ≤ t seen so far (column j − 1), and the time each task took. Rows are appended task by task.
 */
public final class MethodResult {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ContinualMethod method;
    private final String config;
    private final List<List<MetricsResult>> rows = new ArrayList<>();
    private final List<Double> trainSeconds = new ArrayList<>();
    private final List<Double> evalSeconds = new ArrayList<>();

    /** @param config the method's effective training config (JSON), recorded in the output */
    public MethodResult(ContinualMethod method, String config) {
        this.method = method;
        this.config = config;
    }

    public ContinualMethod method() {
        return method;
    }

    /** Records task t = {@link #tasksDone()} + 1: its metrics on tasks 1..t and its times. */
    public void addTask(List<MetricsResult> seen, double train, double eval) {
        if (seen.size() != rows.size() + 1) {
            throw new IllegalArgumentException("after task " + (rows.size() + 1) + " expected metrics of " + (rows.size() + 1)
                    + " tasks, got " + seen.size());
        }
        rows.add(List.copyOf(seen));
        trainSeconds.add(train);
        evalSeconds.add(eval);
    }

    public int tasksDone() {
        return rows.size();
    }

    /** Test accuracy on task j (1-based) after training task t (1-based), j ≤ t. */
    public double accuracy(int t, int j) {
        return rows.get(t - 1).get(j - 1).accuracy();
    }

    /** The mean test accuracy over tasks 1..t after task t. */
    public double average(int t) {
        return rows.get(t - 1).stream().mapToDouble(MetricsResult::accuracy).average().orElseThrow();
    }

    /** Seconds of training (with the method's extras: Fisher pass, coreset fine-tuning) over all tasks done. */
    public double trainSeconds() {
        return trainSeconds.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Seconds of evaluation over all tasks done. */
    public double evalSeconds() {
        return evalSeconds.stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * {@code accuracy}, {@code nll}, {@code ece}: lower-triangular matrices (row t − 1 has t entries);
     * {@code average}: mean of each accuracy row; {@code train_seconds}, {@code eval_seconds} per task
     * and their totals; {@code config}.
     */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("tasks_done", rows.size());
        n.set("accuracy", matrix(MetricsResult::accuracy));
        ArrayNode avg = n.putArray("average");
        for (int t = 1; t <= rows.size(); t++) {
            avg.add(average(t));
        }
        n.set("nll", matrix(MetricsResult::nll));
        n.set("ece", matrix(MetricsResult::ece));
        ArrayNode ts = n.putArray("train_seconds");
        trainSeconds.forEach(ts::add);
        ArrayNode es = n.putArray("eval_seconds");
        evalSeconds.forEach(es::add);
        n.put("total_train_seconds", trainSeconds());
        n.put("total_eval_seconds", evalSeconds());
        try {
            n.set("config", JSON.readTree(config));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("config is not JSON: " + e.getMessage(), e);
        }
        return n;
    }

    /**
     * The result a {@link #toJson()} object describes (accuracy, NLL and ECE per cell; the other
     * metrics, which the JSON does not hold, are 0), e.g. to redraw the figures of a finished run.
     */
    public static MethodResult fromJson(ContinualMethod method, com.fasterxml.jackson.databind.JsonNode n) {
        MethodResult r = new MethodResult(method, n.path("config").toString());
        for (int t = 0; t < n.path("accuracy").size(); t++) {
            List<MetricsResult> row = new ArrayList<>();
            for (int j = 0; j <= t; j++) {
                row.add(new MetricsResult(0, n.at("/accuracy/" + t + "/" + j).asDouble(), n.at("/nll/" + t + "/" + j).asDouble(),
                        n.at("/ece/" + t + "/" + j).asDouble(), 0, 0));
            }
            r.addTask(row, n.at("/train_seconds/" + t).asDouble(), n.at("/eval_seconds/" + t).asDouble());
        }
        return r;
    }

    private ArrayNode matrix(java.util.function.ToDoubleFunction<MetricsResult> f) {
        ArrayNode m = JSON.createArrayNode();
        for (List<MetricsResult> row : rows) {
            ArrayNode r = m.addArray();
            row.forEach(x -> r.add(f.applyAsDouble(x)));
        }
        return m;
    }
}
