/**
 * The {@code ngvi} command line ({@code bin/ngvi}): {@link org.ngvi.spark.cli.Ngvi}, the picocli top
 * command over every job's command; how commands parse, report and exit is {@link org.ngvi.cli.Cli}'s.
 */
package org.ngvi.spark.cli;
