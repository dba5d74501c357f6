package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.ngvi.data.DatasetManifest;

/**
 * What a trained model carries about how it was made (Tribuo-style): effective config, data
 * manifest digests, seed, library versions and git revision.
 */
public final class Provenance {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Provenance() {
    }

    public static ObjectNode of(SparkSession spark, String configJson, long seed, DatasetManifest train, DatasetManifest val)
            throws IOException {
        ObjectNode p = JSON.createObjectNode();
        p.set("config", JSON.readTree(configJson));
        p.put("seed", seed);
        ObjectNode data = p.putObject("data");
        data.put("train_manifest_sha256", train.digest()).put("train_rows", train.rows());
        if (val != null) {
            data.put("val_manifest_sha256", val.digest()).put("val_rows", val.rows());
        }
        ObjectNode v = p.putObject("versions");
        v.put("ngvi", versionOf(Provenance.class));
        v.put("spark", spark.version());
        v.put("nd4j", versionOf(org.nd4j.linalg.factory.Nd4j.class));
        v.put("java", System.getProperty("java.version"));
        p.put("spark_master", spark.sparkContext().master());
        p.put("git_revision", gitRevision());
        p.put("created", Instant.now().toString());
        return p;
    }

    private static String versionOf(Class<?> c) {
        String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /** {@code git rev-parse HEAD} of the working directory (plus {@code -dirty}), or "unknown". */
    static String gitRevision() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return "unknown";
            }
            String rev = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            Process d = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").redirectErrorStream(true).start();
            boolean dirty = d.waitFor(5, TimeUnit.SECONDS) && d.exitValue() == 0 && d.getInputStream().readAllBytes().length > 0;
            return dirty ? rev + "-dirty" : rev;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
