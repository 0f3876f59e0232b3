package dev.featurestore.report.html;

import dev.featurestore.core.quality.QualityReport.Histogram;
import dev.featurestore.core.quality.QualityReport.SessionDay;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.StringWriter;
import java.text.SimpleDateFormat;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.apache.batik.svggen.SVGGraphics2DIOException;
import org.apache.batik.svggen.SVGIDGenerator;
import org.apache.batik.svggen.SVGSyntax;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.ClusteredXYBarRenderer;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimeTableXYDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The report's charts, drawn by JFreeChart into SVG with Batik's SVG generator. Each chart plots numbers of the
 * report as they are (shares, counts); nothing is computed here but positions on the page.
 */
final class Charts {
    static final Color PRESENT = new Color(0x2E7D32);
    static final Color MISSING = new Color(0xC62828);
    static final Color PREVIOUS = new Color(0x9E9E9E);
    static final Color CURRENT = new Color(0x1565C0);
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");
    private static final StandardChartTheme THEME = theme();

    /** Numbered so that the ids of clip paths and gradients do not clash between the charts of one page. */
    private int next;

    /** Where the SVG generator builds each chart: the JDK's DOM, a builder per page (one is not thread-safe). */
    private final DocumentBuilder dom = documentBuilder();

    /**
     * Candles present and missing per session day, stacked, one bar a day.
     *
     * @param days the secid's session days
     * @param width the width in pixels
     * @param height the height in pixels
     * @return an SVG element
     */
    String timeline(List<SessionDay> days, int width, int height) {
        TimeTableXYDataset data = new TimeTableXYDataset(UTC, Locale.ROOT);
        for (SessionDay d : days) {
            Day day = new Day(d.date().getDayOfMonth(), d.date().getMonthValue(), d.date().getYear());
            data.add(day, d.present(), "present", false);
            data.add(day, d.missing(), "missing", false);
        }
        DateAxis x = new DateAxis(null, UTC, Locale.ROOT);
        SimpleDateFormat format = new SimpleDateFormat("MMM d", Locale.ROOT);
        format.setTimeZone(UTC);
        x.setStandardTickUnits(dayTicks(format));
        NumberAxis y = new NumberAxis("candles");
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
        StackedXYBarRenderer r = new StackedXYBarRenderer(0.15);
        JFreeChart chart = chart(new XYPlot(data, x, y, r), true);
        bars(r);
        r.setSeriesPaint(0, PRESENT);
        r.setSeriesPaint(1, MISSING);
        return draw(chart, width, height);
    }

    /**
     * A histogram, or two over the same bins side by side: the previous run's and this run's shares.
     *
     * @param previous the previous run's histogram, or null for this run's alone
     * @param current this run's histogram
     * @param width the width in pixels
     * @param height the height in pixels
     * @param axes whether to draw axes and a legend (not in the small multiples)
     * @return an SVG element
     */
    String histogram(Histogram previous, Histogram current, int width, int height, boolean axes) {
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        if (previous != null) {
            data.addSeries(series("previous run", previous));
        }
        data.addSeries(series("this run", current));
        NumberAxis x = new NumberAxis(null);
        x.setAutoRangeIncludesZero(false);
        x.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));
        NumberAxis y = new NumberAxis(axes ? "share of values" : null);
        y.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));
        XYBarRenderer r = previous == null ? new XYBarRenderer() : new ClusteredXYBarRenderer();
        XYPlot plot = new XYPlot(data, x, y, r);
        JFreeChart chart = chart(plot, axes);
        bars(r);
        r.setDrawBarOutline(false);
        r.setSeriesPaint(0, previous == null ? CURRENT : PREVIOUS);
        r.setSeriesPaint(1, CURRENT);
        if (!axes) {
            x.setVisible(false);
            y.setVisible(false);
            plot.setDomainGridlinesVisible(false);
            plot.setRangeGridlinesVisible(false);
            plot.setInsets(new org.jfree.chart.ui.RectangleInsets(2, 2, 2, 2));
        }
        return draw(chart, width, height);
    }

    /** Ticks of whole days or more: one bar is one day, so an axis never labels a day twice. */
    private static TickUnits dayTicks(SimpleDateFormat format) {
        TickUnits units = new TickUnits();
        for (int days : new int[] {1, 2, 7, 14}) {
            units.add(new DateTickUnit(DateTickUnitType.DAY, days, format));
        }
        for (int months : new int[] {1, 3, 6}) {
            units.add(new DateTickUnit(DateTickUnitType.MONTH, months, format));
        }
        SimpleDateFormat year = new SimpleDateFormat("yyyy", Locale.ROOT);
        year.setTimeZone(UTC);
        units.add(new DateTickUnit(DateTickUnitType.YEAR, 1, year));
        return units;
    }

    /** One bar per bin from edge to edge; a bin of no width (all values equal) is drawn one unit wide about its value. */
    private static XYIntervalSeries series(String name, Histogram h) {
        XYIntervalSeries s = new XYIntervalSeries(name, false, true);
        for (int k = 0; k < h.shares().size(); k++) {
            double lo = h.edges().get(k);
            double hi = h.edges().get(k + 1);
            if (!(hi > lo)) {
                lo -= 0.5;
                hi += 0.5;
            }
            double share = h.shares().get(k);
            s.add((lo + hi) / 2, lo, hi, share, 0, share);
        }
        return s;
    }

    private static void bars(XYBarRenderer r) {
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setDefaultToolTipGenerator(null);
    }

    private static JFreeChart chart(XYPlot plot, boolean legend) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xE0E0E0));
        plot.setRangeGridlinePaint(new Color(0xE0E0E0));
        plot.setOutlineVisible(false);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, legend);
        THEME.apply(chart);
        plot.setBackgroundPaint(Color.WHITE);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        return chart;
    }

    /**
     * Draws a chart onto Batik's SVG generator: ids prefixed with the chart's own, coordinates to a tenth of a pixel.
     *
     * @param chart the chart
     * @param width the width in pixels
     * @param height the height in pixels
     * @return its SVG element, as text
     */
    private String draw(JFreeChart chart, int width, int height) {
        String id = "chart" + next++;
        SVGGeneratorContext context = SVGGeneratorContext.createDefault(dom.newDocument());
        context.setComment(null);
        context.setPrecision(1);
        context.setIDGenerator(new PrefixedIds(id + "-"));
        SVGGraphics2D g = new SVGGraphics2D(context, false);
        g.setSVGCanvasSize(new Dimension(width, height));
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        Element svg = g.getRoot();
        svg.setAttribute("id", id);
        svg.setAttribute("viewBox", "0 0 " + width + " " + height);
        // The generator's shared defs have the same id in every chart: dropped when empty, else renamed.
        for (Node n = svg.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getAttribute("id").equals(SVGSyntax.ID_PREFIX_GENERIC_DEFS)) {
                if (e.hasChildNodes()) {
                    e.setAttribute("id", id + "-" + SVGSyntax.ID_PREFIX_GENERIC_DEFS);
                } else {
                    svg.removeChild(e);
                }
                break;
            }
        }
        StringWriter out = new StringWriter();
        try {
            g.stream(svg, out, true, false);
        } catch (SVGGraphics2DIOException e) {
            throw new IllegalStateException("writing the SVG of " + id + " failed", e);
        } finally {
            g.dispose();
        }
        return out.toString();
    }

    /**
     * A DOM document builder of the JDK's.
     *
     * @return a new builder
     */
    private static DocumentBuilder documentBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's DOM document builder is not available", e);
        }
    }

    /** Ids of clip paths and gradients prefixed per chart, so that the charts of one page do not clash. */
    private static final class PrefixedIds extends SVGIDGenerator {
        /** The chart's id and a dash. */
        private final String prefix;

        /**
         * Ids starting with a prefix.
         *
         * @param prefix the chart's id and a dash
         */
        PrefixedIds(String prefix) {
            this.prefix = prefix;
        }

        /**
         * The next id of a kind, prefixed.
         *
         * @param kind the generator's kind of id, such as {@code clipPath}
         * @return the id
         */
        @Override
        public String generateID(String kind) {
            return super.generateID(prefix + kind);
        }
    }

    private static StandardChartTheme theme() {
        StandardChartTheme t = new StandardChartTheme("featurestore", false);
        t.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        t.setLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        t.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        t.setSmallFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        t.setChartBackgroundPaint(Color.WHITE);
        t.setPlotBackgroundPaint(Color.WHITE);
        return t;
    }
}
