using System.CommandLine;
using System.Text.Json;
using HanLex.Corpus;
using HanLex.Evaluation;

namespace HanLex.Cli.Commands;

internal static class EvalCommand
{
    public static Command Create(CliConsole console)
    {
        var task = new Option<string>("--task") { Description = "What to score: cws (segmentation), pos (tagging) or ner (entities)", Required = true };
        task.AcceptOnlyFromAmong("cws", "pos", "ner");
        var gold = new Option<string>("--gold") { Description = "Gold corpus, any format", Required = true };
        var pred = new Option<string?>("--pred") { Description = "Predicted corpus, any format (or give --model)" };
        var model = new ModelOptions();
        var train = new Option<string?>("--train") { Description = "Training corpus, for OOV and IV recall (cws)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (figures are percentages)" };
        var goldFormat = new Option<string?>("--gold-format") { Description = "Gold format (default: detected)" };
        var predFormat = new Option<string?>("--pred-format") { Description = "Predicted format (default: detected)" };
        var labels = LabelsOption.Create();
        var corpus = new CorpusOptions();
        var command = new Command("eval", "Score predicted against gold segmentation, tagging or entities; with --model, analyze the gold's raw text and score that")
            { task, gold, pred, train, json, goldFormat, predFormat, labels };
        model.AddTo(command);
        command.Options.Add(corpus.Encoding);
        command.Options.Add(corpus.Lenient);
        command.SetAction(parse =>
        {
            var printer = new DiagnosticPrinter(console.Error);
            var goldOptions = corpus.Resolve(parse, printer, goldFormat);
            var predOptions = corpus.Resolve(parse, printer, predFormat);
            HashSet<string>? vocabulary = null;
            if (parse.GetValue(train) is { } trainPath)
            {
                vocabulary = new HashSet<string>(StringComparer.Ordinal);
                using var t = CorpusOptions.Open(trainPath, goldOptions with { Format = null }, console);
                foreach (var s in t) foreach (var w in s.Words) vocabulary.Add(w.Text);
            }
            using var g = CorpusOptions.Open(parse.GetValue(gold)!, goldOptions, console);
            var taskName = parse.GetValue(task)!;
            Report result;
            if (parse.GetValue(pred) is { } predPath)
            {
                if (parse.GetValue(model.Model) is not null) throw new UsageException("give --pred or --model, not both");
                using var p = CorpusOptions.Open(predPath, predOptions, console);
                result = Score(taskName, SentencePairs.Align(g, p, g.File, p.File), vocabulary, LabelsOption.Resolve(parse, labels, g.Format, p.Format), null);
                printer.Summarize(g.Skipped + p.Skipped);
            }
            else
            {
                var analyzer = model.Load(parse);
                var goldSet = g.Where(s => !s.IsEmpty).ToList();
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var predicted = goldSet.Select(s => taskName == "cws" ? analyzer.Segment(s.Text) : analyzer.Analyze(s.Text)).ToList();
                double seconds = clock.Elapsed.TotalSeconds;
                List<(Sentence, Sentence)>? onGoldWords = taskName == "pos"
                    ? goldSet.Select(s => (s, analyzer.AnalyzeSegmented(s.Words.Select(w => w.Text).ToList()))).ToList()
                    : null;
                result = Score(taskName, SentencePairs.Align(goldSet, predicted, g.File, "analysis"), vocabulary,
                    LabelsOption.Resolve(parse, labels, g.Format), onGoldWords);
                long chars = goldSet.Sum(s => (long)s.Text.Length);
                console.Error.WriteLine($"hanlex: analyzed {goldSet.Count:N0} sentences, {chars:N0} characters in {seconds:F2}s");
                printer.Summarize(g.Skipped);
            }
            if (parse.GetValue(json)) console.Out.WriteLine(JsonSerializer.Serialize(result.Json, Json.Indented));
            else console.Out.Write(result.Text);
            return 0;
        });
        return command;
    }

    private sealed record Report(Dictionary<string, object> Json, string Text);

    private static Report Score(string task, IEnumerable<(Sentence Gold, Sentence Pred)> pairs, HashSet<string>? vocabulary,
        EntityLabels labels, List<(Sentence Gold, Sentence Pred)>? onGoldWords)
    {
        switch (task)
        {
            case "cws":
            {
                var scorer = new SegmentationScorer(vocabulary);
                foreach (var (g, p) in pairs) scorer.Add(g, p);
                var json = Prf(scorer.Result);
                var text = $"segmentation  {scorer.Result}\n";
                if (scorer.HasVocabulary)
                {
                    json["oov_recall"] = Round(scorer.OovRecall);
                    json["iv_recall"] = Round(scorer.IvRecall);
                    json["oov_rate"] = Round(scorer.OovRate);
                    text += $"OOV recall {scorer.OovRecall:F2}  IV recall {scorer.IvRecall:F2}  (OOV rate {scorer.OovRate:F2})\n";
                }
                return new Report(json, text);
            }
            case "pos":
            {
                var scorer = new TaggingScorer();
                foreach (var (g, p) in pairs) scorer.Add(g, p);
                var json = Prf(scorer.Joint);
                json["accuracy"] = Round(scorer.Accuracy);
                json["aligned_words"] = scorer.AlignedWords;
                var text = $"tagging accuracy {scorer.Accuracy:F2} over {scorer.AlignedWords:N0} words whose spans agree\n" +
                           $"segmentation+tagging  {scorer.Joint}\n";
                if (onGoldWords is not null)
                {
                    var gold = new TaggingScorer();
                    foreach (var (g, p) in onGoldWords) gold.Add(g, p);
                    json["accuracy_gold_segmentation"] = Round(gold.Accuracy);
                    text += $"tagging accuracy on gold segmentation {gold.Accuracy:F2}\n";
                }
                return new Report(json, text);
            }
            default:
            {
                var scorer = new EntityScorer(labels);
                foreach (var (g, p) in pairs) scorer.Add(g, p);
                var json = Prf(scorer.Micro);
                json["micro"] = Prf(scorer.Micro);
                json["multi_word"] = Prf(scorer.MultiWord);
                json["per_type"] = scorer.PerType.ToDictionary(kv => kv.Key, kv => (object)Prf(kv.Value));
                var text = $"entities (all)        {scorer.Micro}\nentities (multi-word) {scorer.MultiWord}\n";
                foreach (var (type, prf) in scorer.PerType) text += $"  {type,-8} {prf}\n";
                return new Report(json, text);
            }
        }
    }

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
