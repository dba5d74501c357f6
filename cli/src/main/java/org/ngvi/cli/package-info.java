/**
 * What the command line of every ngvi job shares, so that {@code bin/ngvi}, each spark-submit main
 * class and {@code bench/run} parse, report and exit alike.
 * <ul>
 *   <li>{@link org.ngvi.cli.Cli}: one way to build and run a picocli command: {@code --help} (with
 *       defaults) and {@code --version} on every command; a usage error (unknown option, malformed
 *       value, failed validation) prints the message naming the option and the command's usage and
 *       gives exit code 2; bad input found by the job ({@link java.lang.IllegalArgumentException},
 *       {@link java.io.IOException}) prints {@code ngvi <command>: message} and gives 2 as well.</li>
 *   <li>Options more than one job takes, as picocli mixins: {@link org.ngvi.cli.SparkMasterOption},
 *       {@link org.ngvi.cli.OverwriteOption}, {@link org.ngvi.cli.PartitionsOption},
 *       {@link org.ngvi.cli.ConfigOverrideOptions}; value checks in {@link org.ngvi.cli.Converters}.</li>
 *   <li>{@link org.ngvi.cli.BuildInfo}: version, git revision and build time, recorded at build time
 *       (git-commit-id-maven-plugin into {@code org/ngvi/cli/build.properties}); what
 *       {@code --version} prints and training provenance records.</li>
 *   <li>{@link org.ngvi.cli.SparkSessions}: the SparkSession of a job.</li>
 * </ul>
 */
package org.ngvi.cli;
