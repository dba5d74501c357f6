/**
 * Charts on JFreeChart 1.5, headless, plus the few pieces it lacks. {@link org.ngvi.spark.plot.ChartStyle}
 * is the project's look (tab10 colours, fonts, white background, dashed grid, flat bars, legend
 * entries); {@link org.ngvi.spark.plot.ChartPng} draws a chart into an image and writes PNGs
 * atomically ({@link org.ngvi.io.AtomicFiles}). What JFreeChart does not have: a perceptual
 * colour map ({@link org.ngvi.spark.plot.Colormap}, viridis, as a {@code PaintScale}), iso-lines by
 * marching squares ({@link org.ngvi.spark.plot.ContourLine}, handed to JFreeChart as line series),
 * hatch fills ({@link org.ngvi.spark.plot.Hatch}, a {@code Paint}), equal x/y scales across panels
 * ({@link org.ngvi.spark.plot.EqualScale}) and an animated {@link org.ngvi.spark.plot.GifWriter}.
 * {@link org.ngvi.spark.plot.Heatmap} puts a field on a {@link org.ngvi.spark.plot.RegularGrid} into
 * an {@code XYBlockRenderer}. The charts themselves live with their data:
 * {@code eval.ReliabilityDiagram}, {@code eval.EntropyHistogramPlot}, {@code toy.ToyFrame}. Set
 * {@code java.awt.headless=true} before the first AWT call (the classes here do it on load when
 * the property is unset).
 */
package org.ngvi.spark.plot;
