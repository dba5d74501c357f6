/**
 * A small headless plotting toolkit on Java2D: a {@link org.ngvi.spark.plot.Figure} (a
 * {@code BufferedImage} written atomically as PNG), {@link org.ngvi.spark.plot.Axes} (the
 * data→pixel transform with ticks, titles and labels), {@link org.ngvi.spark.plot.Heatmap} of a
 * regular grid through a perceptual {@link org.ngvi.spark.plot.Colormap} with a
 * {@link org.ngvi.spark.plot.ColorBar}, iso-lines by marching squares
 * ({@link org.ngvi.spark.plot.ContourLine}), {@link org.ngvi.spark.plot.Bars} and normalised
 * {@link org.ngvi.spark.plot.Histogram}s, a {@link org.ngvi.spark.plot.Legend} and an animated
 * {@link org.ngvi.spark.plot.GifWriter}. Set {@code java.awt.headless=true} before the first
 * AWT call (the classes here do it on load when the property is unset).
 */
package org.ngvi.spark.plot;
