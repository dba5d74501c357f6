package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;
import org.ngvi.cli.BuildInfo;
import org.ngvi.data.DatasetManifest;

/**
 * What a trained model carries about how it was made (Tribuo-style): effective config, data
 * manifest digests, seed, library versions and the git revision the code was built from
 * ({@link BuildInfo}, not the driver's working directory).
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
        p.put("git_revision", BuildInfo.current().revisionLabel()); // recorded when the jar was built
        p.put("created", Instant.now().toString());
        return p;
    }

    private static String versionOf(Class<?> c) {
        String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
