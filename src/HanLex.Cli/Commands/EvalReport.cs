using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using HanLex.Evaluation;
using HanLex.Training;

namespace HanLex.Cli.Commands;

/// <summary>
/// What <c>eval</c> measured, as text for the terminal, JSON for programs, a TSV confusion matrix and an HTML page
/// (scores, the per-type entity table, the tag confusions and the learning curves of the model's training).
/// </summary>
internal sealed class EvalReport(string task)
{
    public SegmentationScorer? Segmentation { get; init; }
    public TaggingScorer? Tagging { get; init; }
    public TaggingScorer? TaggingOnGoldWords { get; init; }
    public EntityScorer? Entities { get; init; }

    public Dictionary<string, object> Json()
    {
        switch (task)
        {
            case "cws":
            {
                var s = Segmentation!;
                var json = Prf(s.Result);
                if (s.HasVocabulary)
                {
                    json["oov_recall"] = Round(s.OovRecall);
                    json["iv_recall"] = Round(s.IvRecall);
                    json["oov_rate"] = Round(s.OovRate);
                }
                return json;
            }
            case "pos":
            {
                var json = Prf(Tagging!.Joint);
                json["accuracy"] = Round(Tagging.Accuracy);
                json["aligned_words"] = Tagging.AlignedWords;
                if (TaggingOnGoldWords is not null) json["accuracy_gold_segmentation"] = Round(TaggingOnGoldWords.Accuracy);
                return json;
            }
            default:
            {
                var e = Entities!;
                var json = Prf(e.Micro);
                json["micro"] = Prf(e.Micro);
                json["multi_word"] = Prf(e.MultiWord);
                json["per_type"] = e.PerType.ToDictionary(kv => kv.Key, kv => (object)Prf(kv.Value));
                return json;
            }
        }
    }

    public string Text()
    {
        var sb = new StringBuilder();
        switch (task)
        {
            case "cws":
                sb.Append($"segmentation  {Segmentation!.Result}\n");
                if (Segmentation.HasVocabulary)
                    sb.Append($"OOV recall {Segmentation.OovRecall:F2}  IV recall {Segmentation.IvRecall:F2}  (OOV rate {Segmentation.OovRate:F2})\n");
                break;
            case "pos":
                sb.Append($"tagging accuracy {Tagging!.Accuracy:F2} over {Tagging.AlignedWords:N0} words whose spans agree\n");
                sb.Append($"segmentation+tagging  {Tagging.Joint}\n");
                if (TaggingOnGoldWords is not null) sb.Append($"tagging accuracy on gold segmentation {TaggingOnGoldWords.Accuracy:F2}\n");
                break;
            default:
                sb.Append($"entities (all)        {Entities!.Micro}\nentities (multi-word) {Entities.MultiWord}\n");
                foreach (var (type, prf) in Entities.PerType) sb.Append($"  {type,-8} {prf}\n");
                break;
        }
        return sb.ToString();
    }

    /// <summary>The tagging scorer whose confusions to show: on gold words when there is one, else on aligned words.</summary>
    private TaggingScorer? ConfusionSource => TaggingOnGoldWords ?? Tagging;

    /// <summary>Gold tags down, predicted tags across, counts in the cells (tab-separated).</summary>
    public string ConfusionMatrix()
    {
        var confusion = ConfusionSource?.Confusion ?? throw new UsageException("--confusion needs --task pos");
        var tags = confusion.Keys.SelectMany(k => new[] { k.Gold, k.Predicted }).Distinct().Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder("gold\\predicted");
        foreach (var t in tags) sb.Append('\t').Append(t);
        sb.Append('\n');
        foreach (var g in tags)
        {
            sb.Append(g);
            foreach (var p in tags) sb.Append('\t').Append(confusion.GetValueOrDefault((g, p)));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    public string Html(string title, IReadOnlyList<EpochReport>? history)
    {
        var sb = new StringBuilder();
        sb.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: .3em .6em; text-align: right; }
            th:first-child, td:first-child { text-align: left; } pre { background: #f6f6f6; padding: 1em; }
            </style></head><body>
            <h1>{{E(title)}}</h1>
            <pre>{{E(Text())}}</pre>
            """);
        if (Entities is not null)
        {
            sb.Append("<h2>Entities by type</h2><table><tr><th>type</th><th>precision</th><th>recall</th><th>F1</th><th>gold</th><th>predicted</th><th>correct</th></tr>");
            foreach (var (type, prf) in Entities.PerType.Append(new("all", Entities.Micro)).Append(new("multi-word", Entities.MultiWord)))
                sb.Append($"<tr><td>{E(type)}</td><td>{prf.Precision:F2}</td><td>{prf.Recall:F2}</td><td>{prf.F1:F2}</td><td>{prf.Gold:N0}</td><td>{prf.Pred:N0}</td><td>{prf.Correct:N0}</td></tr>");
            sb.Append("</table>");
        }
        if (ConfusionSource is { } tagging)
        {
            sb.Append("<h2>Most frequent tag confusions</h2><table><tr><th>gold</th><th>predicted</th><th>words</th><th>share of errors</th></tr>");
            var errors = tagging.Confusion.Where(kv => kv.Key.Gold != kv.Key.Predicted).OrderByDescending(kv => kv.Value).ToList();
            long total = Math.Max(1, errors.Sum(kv => kv.Value));
            foreach (var (pair, count) in errors.Take(30))
                sb.Append($"<tr><td>{E(pair.Gold)}</td><td>{E(pair.Predicted)}</td><td>{count:N0}</td><td>{100.0 * count / total:F1}%</td></tr>");
            sb.Append("</table>");
        }
        if (history is { Count: > 0 })
        {
            sb.Append("<h2>Learning curves</h2>");
            sb.Append("<p>Per epoch of training: the dev score where a dev set was given, and the share of training sentences decoded right.</p>");
            sb.Append(LearningCurve(history));
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    /// <summary>
    /// A line chart per task and measure, drawn in the browser by Chart.js, which the page carries inline so that it
    /// draws offline; the figures are in the page as JSON.
    /// </summary>
    private static string LearningCurve(IReadOnlyList<EpochReport> history)
    {
        var series = new JsonArray();
        foreach (var group in history.GroupBy(e => e.Task).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var epochs = group.OrderBy(e => e.Epoch).ToList();
            series.Add(Series($"{group.Key}: training sentences right (%)", epochs.Select(e => (e.Epoch, e.SentencesRight))));
            if (epochs.Any(e => e.Dev is not null))
                series.Add(Series($"{group.Key}: dev score", epochs.Where(e => e.Dev is not null).Select(e => (e.Epoch, e.Dev!.Value))));
        }
        var config = new JsonObject
        {
            ["type"] = "line",
            ["data"] = new JsonObject { ["datasets"] = series },
            ["options"] = JsonNode.Parse("""
                { "parsing": true,
                  "scales": { "x": { "type": "linear", "ticks": { "stepSize": 1 }, "title": { "display": true, "text": "epoch" } },
                              "y": { "title": { "display": true, "text": "percent" } } } }
                """),
        };
        using var stream = typeof(EvalReport).Assembly.GetManifestResourceStream("chart.umd.min.js")!;
        var chartJs = new StreamReader(stream).ReadToEnd();
        // "</" cannot end the script early: JSON text never holds it unescaped after this.
        var json = config.ToJsonString(Commands.Json.Indented).Replace("</", "<\\/");
        return $"<div style=\"max-width:50em\"><canvas id=\"learning-curves\"></canvas></div>\n<script>{chartJs}</script>\n" +
               $"<script>new Chart(document.getElementById('learning-curves'), {json});</script>\n";
    }

    private static JsonNode Series(string label, IEnumerable<(int Epoch, double Value)> points) => new JsonObject
    {
        ["label"] = label,
        ["data"] = new JsonArray(points.Select(JsonNode (p) => new JsonObject { ["x"] = p.Epoch, ["y"] = Math.Round(p.Value, 2) }).ToArray()),
    };

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static Dictionary<string, object> Prf(Prf prf) => new()
    {
        ["precision"] = Round(prf.Precision),
        ["recall"] = Round(prf.Recall),
        ["f1"] = Round(prf.F1),
        ["gold"] = prf.Gold,
        ["pred"] = prf.Pred,
        ["correct"] = prf.Correct,
    };

    private static double Round(double x) => Math.Round(x, 4);
}
