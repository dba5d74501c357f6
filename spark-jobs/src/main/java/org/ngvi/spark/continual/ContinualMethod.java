package org.ngvi.spark.continual;

import java.util.Arrays;
import java.util.List;
import org.ngvi.optim.Adam;
import org.ngvi.optim.Ewc;
import org.ngvi.optim.Vogn;

/** The continual-learning methods of {@code ngvi continual} and the optimizer each one trains with. */
public enum ContinualMethod {
    /** VOGN; the posterior of task t is the prior of task t + 1 (per-parameter mean and precision). */
    VOGN("vogn", Vogn.NAME),
    /** {@link #VOGN} plus VCL's random coreset per task: held out of the task's training, the predictive fine-tuned on all coresets. */
    VOGN_CORESET("vogn_coreset", Vogn.NAME),
    /** Adam with the EWC penalty of the past tasks. */
    EWC("ewc", Ewc.NAME),
    /** Adam fine-tuned task after task: the forgetting baseline. */
    ADAM("adam", Adam.NAME);

    private final String configName;
    private final String optimizer;

    ContinualMethod(String configName, String optimizer) {
        this.configName = configName;
        this.optimizer = optimizer;
    }

    /** The name in configs ({@code continual_method}) and on the command line ({@code --methods}). */
    public String configName() {
        return configName;
    }

    /** The {@link org.ngvi.optim.OptimizerRegistry} name its config must give as {@code optim_name}. */
    public String optimizer() {
        return optimizer;
    }

    /** The method named {@code name}; a clear error listing the names otherwise. */
    public static ContinualMethod of(String name) {
        return Arrays.stream(values()).filter(m -> m.configName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown continual method \"" + name + "\": expected one of "
                        + names()));
    }

    /** "vogn, vogn_coreset, ewc, adam". */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(ContinualMethod::configName).toList());
    }

    static List<ContinualMethod> all() {
        return List.of(values());
    }
}
