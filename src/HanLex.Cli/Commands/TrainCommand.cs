using System.CommandLine;
using System.Diagnostics;
using HanLex.Corpus;
using HanLex.Lexicon;
using HanLex.Models;
using HanLex.Tagging;
using HanLex.Training;

namespace HanLex.Cli.Commands;

internal static class TrainCommand
{
    public static Command Create(CliConsole console)
    {
        var task = new Option<string>("--task") { Description = "Which models: cws, pos, ner or all", DefaultValueFactory = _ => "all" };
        task.AcceptOnlyFromAmong("cws", "pos", "ner", "all");
        var train = new Option<string>("--train") { Description = "Training corpus (People's Daily, either dialect, or any tagged format)", Required = true };
        var dev = new Option<string?>("--dev") { Description = "Development corpus: scored after each epoch, the best epoch is kept" };
        var modelDir = new Option<string>("--model", "-m") { Description = "Model directory to write", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => new TrainingOptions().Epochs };
        var labels = new Option<string>("--labels") { Description = "Entity labels the recognizer learns, comma-separated", DefaultValueFactory = _ => "nr,ns,nt" };
        var lexicon = new Option<string[]>("--lexicon")
        {
            Description = "Word list (one word a line, as a user dictionary) the segmentation model reads as lexicon matches besides the training words; repeatable",
        };
        var extra = new Option<string[]>("--extra")
        {
            Description = "Corpus in another segmentation standard (CTB, SXU…) the segmentation model also learns from, through features of its own; repeatable",
        };
        var wordClasses = new Option<bool>("--word-classes")
        {
            Description = "Label each character with its word's tag class as well as its position (tagged corpora): more accurate segmentation, slower decoding",
        };
        var ensemble = new Option<int>("--ensemble")
        {
            Description = "Segmentation models to train with successive seeds and average into one: steadier, same size and speed, that many times the training",
            DefaultValueFactory = _ => 1,
        };
        var json = new Option<bool>("--json") { Description = "Print a JSON summary (models, sizes, per-epoch figures) on stdout" };
        var corpus = new CorpusOptions();
        var command = new Command("train", "Train segmentation, part-of-speech and entity models") { task, train, dev, modelDir, epochs, labels, lexicon, extra, wordClasses, ensemble, json };
        corpus.AddTo(command);
        command.SetAction(parse =>
        {
            var printer = new DiagnosticPrinter(console.Error);
            var options = corpus.Resolve(parse, printer);
            var trainPath = parse.GetValue(train)!;
            List<Sentence> trainSet, devSet = [];
            using (var reader = CorpusOptions.Open(trainPath, options, console)) trainSet = reader.ToList();
            if (parse.GetValue(dev) is { } devPath)
                using (var reader = CorpusOptions.Open(devPath, options with { Format = null }, console)) devSet = reader.ToList();
            var extraFiles = parse.GetValue(extra) ?? [];
            var lexiconFiles = parse.GetValue(lexicon) ?? [];
            if ((extraFiles.Length > 0 || lexiconFiles.Length > 0) && parse.GetValue(task) is not ("cws" or "all"))
                throw new UsageException("--extra and --lexicon train the segmentation model: use them with --task cws or all");
            if (extraFiles.Length >= HanLex.Features.CorpusCopies.MaxCorpora)
                throw new UsageException($"--extra takes at most {HanLex.Features.CorpusCopies.MaxCorpora - 1} corpora");
            var extraSets = new List<IReadOnlyList<Sentence>>();
            foreach (var path in extraFiles)
                using (var reader = CorpusOptions.Open(path, options with { Format = null }, console)) extraSets.Add(reader.ToList());
            var lexiconWords = lexiconFiles.SelectMany(f => UserDictionary.Load(f).Entries.Select(e => e.Word)).ToHashSet(StringComparer.Ordinal);
            int n = parse.GetValue(epochs);
            if (n < 1) throw new UsageException("--epochs must be at least 1");
            if (parse.GetValue(ensemble) < 1) throw new UsageException("--ensemble must be at least 1");
            var dir = parse.GetValue(modelDir)!;
            var which = parse.GetValue(task)!;
            var clock = Stopwatch.StartNew();
            var devOrNull = devSet.Count > 0 ? devSet : null;
            var tasks = new[] { "cws", "pos", "ner" }.Where(t => which == "all" || which == t).ToList();
            int sentences = trainSet.Count(s => !s.IsEmpty);
            var history = new List<EpochReport>();
            var (cws, pos, ner) = CliProgress.Run(console, progress =>
            {
                // An averaged segmentation model runs its epochs once per member.
                int EpochsOf(string t) => t == "cws" ? n * parse.GetValue(ensemble) : n;
                var bars = tasks.ToDictionary(t => t, t => progress.Add($"{t} epoch 1/{EpochsOf(t)}", (double)EpochsOf(t) * sentences, "sentences"));
                var trainer = new Trainer(new TrainingOptions
                {
                    Epochs = n,
                    LexiconWords = lexiconWords,
                    WordClasses = parse.GetValue(wordClasses),
                    Ensemble = parse.GetValue(ensemble),
                    EntityLabels = parse.GetValue(labels)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    Log = progress.Log,
                    Progress = (t, epoch, done) =>
                    {
                        bars[t].Set((epoch - 1 + done) * sentences);
                        bars[t].Description($"{t} epoch {epoch}/{EpochsOf(t)}");
                    },
                    EpochDone = e => { lock (history) history.Add(e); },
                });
                // The three models are independent given gold tags: train them side by side on the machine's cores.
                Task<Segmenter>? cws = tasks.Contains("cws") ? Task.Run(() => trainer.TrainSegmenter(trainSet, devOrNull, extraSets)) : null;
                Task<PosTagger>? pos = tasks.Contains("pos") ? Task.Run(() => trainer.TrainTagger(trainSet, devOrNull)) : null;
                var tagSet = LabelSchemes.Tags(Trainer.TagsOf(trainSet));
                Task<EntityRecognizer>? ner = tasks.Contains("ner") ? Task.Run(() => trainer.TrainRecognizer(trainSet, tagSet, devOrNull)) : null;
                Task.WaitAll(new Task?[] { cws, pos, ner }.OfType<Task>().ToArray());
                return (cws?.Result, pos?.Result, ner?.Result);
            });
            var trained = new (object? Model, ModelTask Task)[] { (cws, ModelTask.Segmentation), (pos, ModelTask.PartOfSpeech), (ner, ModelTask.Entities) }
                .Where(t => t.Model is not null).Select(t => t.Task).ToList();

            var description = $"trained by hanlex {ModelInfo.CurrentVersion} on {Path.GetFileName(trainPath)} ({trainSet.Count(s => !s.IsEmpty):N0} sentences), {n} epochs";
            if (extraFiles.Length > 0)
                description += $", segmentation also from {string.Join(", ", extraFiles.Select(Path.GetFileName))} ({extraSets.Sum(c => c.Count(s => !s.IsEmpty)):N0} sentences)";
            if (lexiconFiles.Length > 0)
                description += $", segmentation lexicon with {lexiconWords.Count:N0} words of {string.Join(", ", lexiconFiles.Select(Path.GetFileName))}";
            // Training some of the models keeps the others of the directory; training all replaces them whatever they were.
            var existing = which != "all" && File.Exists(Path.Combine(dir, ModelTask.Segmentation.FileName())) ? ModelBundle.Load(dir) : null;
            var segmenter = cws ?? existing?.Segmenter
                ?? throw new UsageException($"{dir} has no segmentation model yet: train --task cws (or all) first");
            var bundle = new ModelBundle(segmenter, pos ?? existing?.Tagger, ner ?? existing?.Recognizer,
                new ModelInfo(description, ModelInfo.CurrentVersion, "", DateTimeOffset.UtcNow));
            bundle.Save(dir, description, trained);
            new TrainingHistory(description, history).Save(dir);
            var files = Directory.GetFiles(dir, "*.hlm").Order().Select(f => new FileInfo(f)).ToList();
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(Json.Serialize(new TrainSummary(dir, description, Math.Round(clock.Elapsed.TotalSeconds, 1),
                    files.Select(f => new ModelFileSize(f.Name, f.Length)).ToList(),
                    history.OrderBy(e => e.Task, StringComparer.Ordinal).ThenBy(e => e.Epoch).ToList())));
            }
            console.Info($"hanlex: wrote {dir} in {clock.Elapsed.TotalSeconds:F1}s");
            foreach (var f in files) console.Info($"  {f.Name}  {f.Length / 1024.0 / 1024.0:F2} MB");
            return 0;
        });
        return command;
    }
}
