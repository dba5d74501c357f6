/**
 * Runs Zeppelin notes ({@code .zpln}, Zeppelin 0.10+) without Zeppelin, the way Zeppelin's Spark
 * interpreter runs them: {@code %spark} paragraphs through Spark's Scala 2.12 REPL ({@code IMain},
 * class-based, with {@code spark} and {@code sc} bound), {@code %spark.sql} through
 * {@code spark.sql}, {@code %md} rendered to HTML; each paragraph's output becomes Zeppelin's
 * {@code results.msg} ({@code TEXT}, {@code HTML}, {@code TABLE}) in an executed copy of the note.
 */
package org.ngvi.notebooks;
