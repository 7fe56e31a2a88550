using ServerlessChaos.Cli.GameDay.Report;

namespace ServerlessChaos.Cli.Tests.Report;

public class PhaseLabelLayoutTests
{
    private static bool Overlap(PlacedLabel a, PlacedLabel b) => a.Row == b.Row && a.X < b.End && b.X < a.End;

    [Fact]
    public void Short_phases_side_by_side_stack_into_rows_and_no_two_labels_overlap()
    {
        // Seven phases 2 units apart, each label 60 units wide: they cannot share a row.
        var placed = PhaseLabelLayout.Place([.. Enumerable.Range(0, 7).Select(i => (100.0 + (i * 2), 60.0))]);

        PhaseLabelLayout.Rows(placed).ShouldBe(7);
        placed.Select(p => p.X).ShouldBe([100, 102, 104, 106, 108, 110, 112]);
        for (var i = 0; i < placed.Count; i++)
        {
            for (var j = i + 1; j < placed.Count; j++)
            {
                Overlap(placed[i], placed[j]).ShouldBeFalse($"labels {i} and {j} overlap");
            }
        }
    }

    [Fact]
    public void Long_phases_keep_one_row_and_a_row_is_reused_once_its_last_label_has_ended()
    {
        var placed = PhaseLabelLayout.Place([(0, 50), (200, 50), (400, 50)]);
        PhaseLabelLayout.Rows(placed).ShouldBe(1);

        // The third starts after the first ended (plus the gap) but while the second still runs: back to row 0.
        var mixed = PhaseLabelLayout.Place([(0, 50), (20, 50), (50 + PhaseLabelLayout.Gap, 10)]);
        mixed.Select(p => p.Row).ShouldBe([0, 1, 0]);

        // Touching without the gap is not enough.
        PhaseLabelLayout.Place([(0, 50), (52, 10)]).Select(p => p.Row).ShouldBe([0, 1]);
    }

    [Fact]
    public void A_label_is_estimated_wide_enough_for_its_text()
    {
        PhaseLabelLayout.WidthOf("fault injection", 11).ShouldBeGreaterThan(80); // 15 characters at 11 px
        PhaseLabelLayout.WidthOf("", 11).ShouldBe(0);
    }

    [Fact]
    public void In_the_html_report_the_phase_labels_of_a_chart_never_share_a_row_where_they_would_overlap()
    {
        var html = ReportHtml.Build(SampleReports.Plan());
        var chart = html[html.IndexOf("<svg", StringComparison.Ordinal)..html.IndexOf("</svg>", StringComparison.Ordinal)];
        var labels = System.Text.RegularExpressions.Regex.Matches(chart, "<text class=\"phase-label\" x=\"([0-9.]+)\" y=\"([0-9.]+)\"[^>]*>([^<]*)</text>")
            .Select(m => (X: double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Y: m.Groups[2].Value, Text: m.Groups[3].Value))
            .ToList();

        labels.Count.ShouldBe(16); // 14 phases and the start of each of the two experiments
        labels.Select(l => l.Y).Distinct().Count().ShouldBeGreaterThan(3);
        foreach (var row in labels.GroupBy(l => l.Y))
        {
            var ordered = row.OrderBy(l => l.X).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                (ordered[i].X - ordered[i - 1].X).ShouldBeGreaterThanOrEqualTo(PhaseLabelLayout.WidthOf(System.Net.WebUtility.HtmlDecode(ordered[i - 1].Text), 11), $"{ordered[i - 1].Text} and {ordered[i].Text}");
            }
        }
    }
}
