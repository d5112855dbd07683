using System.CommandLine;
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
        var confusion = new Option<string?>("--confusion") { Description = "Write the POS confusion matrix (gold × predicted tags, TSV) to this file" };
        var report = new Option<string?>("--report") { Description = "Write an HTML report (scores, entity types, tag confusions, learning curves of the model) to this file" };
        var labels = LabelsOption.Create();
        var corpus = new CorpusOptions();
        var command = new Command("eval", "Score predicted against gold segmentation, tagging or entities; with --model, analyze the gold's raw text and score that")
            { task, gold, pred, train, json, goldFormat, predFormat, labels, confusion, report };
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
            EvalReport result;
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
                long chars = goldSet.Sum(s => (long)s.Text.Length);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var predicted = CliProgress.Run(console, progress =>
                {
                    var bar = progress.Add("analyzing", chars, "chars");
                    long done = 0;
                    return goldSet.Select(s =>
                    {
                        var p = taskName == "cws" ? analyzer.Segment(s.Text) : analyzer.Analyze(s.Text);
                        bar.Set(done += s.Text.Length);
                        return p;
                    }).ToList();
                });
                double seconds = clock.Elapsed.TotalSeconds;
                List<(Sentence, Sentence)>? onGoldWords = taskName == "pos"
                    ? goldSet.Select(s => (s, analyzer.AnalyzeSegmented(s.Words.Select(w => w.Text).ToList()))).ToList()
                    : null;
                result = Score(taskName, SentencePairs.Align(goldSet, predicted, g.File, "analysis"), vocabulary,
                    LabelsOption.Resolve(parse, labels, g.Format), onGoldWords);
                console.Info($"hanlex: analyzed {goldSet.Count:N0} sentences, {chars:N0} characters in {seconds:F2}s");
                printer.Summarize(g.Skipped);
            }
            if (parse.GetValue(confusion) is { } confusionPath) WriteFile(confusionPath, result.ConfusionMatrix(), console);
            if (parse.GetValue(report) is { } reportPath)
            {
                var modelDir = parse.GetValue(model.Model);
                var history = modelDir is null ? null : TrainingHistory.Load(modelDir)?.Epochs;
                var title = $"hanlex eval --task {taskName}: {Path.GetFileName(parse.GetValue(gold))}" + (modelDir is null ? "" : $", model {modelDir}");
                WriteFile(reportPath, result.Html(title, history), console);
            }
            if (parse.GetValue(json)) console.Out.WriteLine(Json.Serialize(result.Json()));
            else console.Out.Write(result.Text());
            return 0;
        });
        return command;
    }

    private static void WriteFile(string path, string text, CliConsole console)
    {
        using var target = new OutputTarget(path, console);
        target.Writer.Write(text);
        target.Commit();
    }

    private static EvalReport Score(string task, IEnumerable<(Sentence Gold, Sentence Pred)> pairs, HashSet<string>? vocabulary,
        EntityLabels labels, List<(Sentence Gold, Sentence Pred)>? onGoldWords)
    {
        switch (task)
        {
            case "cws":
            {
                var scorer = new SegmentationScorer(vocabulary);
                foreach (var (g, p) in pairs) scorer.Add(g, p);
                return new EvalReport(task) { Segmentation = scorer };
            }
            case "pos":
            {
                var scorer = new TaggingScorer();
                foreach (var (g, p) in pairs) scorer.Add(g, p);
                TaggingScorer? gold = null;
                if (onGoldWords is not null)
                {
                    gold = new TaggingScorer();
                    foreach (var (g, p) in onGoldWords) gold.Add(g, p);
                }
                return new EvalReport(task) { Tagging = scorer, TaggingOnGoldWords = gold };
            }
            default:
            {
                var scorer = new EntityScorer(labels);
                foreach (var (g, p) in pairs) scorer.Add(g, p);
                return new EvalReport(task) { Entities = scorer };
            }
        }
    }
}
