using System.Diagnostics;
using System.Runtime.InteropServices;
using HanLex.Corpus;
using HanLex.Evaluation;
using HanLex.Features;
using HanLex.Lexicon;
using HanLex.Perceptron;
using HanLex.Tagging;

namespace HanLex.Training;

/// <summary>Trains the segmentation, part-of-speech and entity models from annotated sentences.</summary>
public sealed class Trainer(TrainingOptions options)
{
    /// <param name="extra">Corpora in other segmentation standards to learn from beside <paramref name="train"/>, through
    /// features of their own (<see cref="CorpusCopies"/>); their words join the lexicon.</param>
    public Segmenter TrainSegmenter(IReadOnlyList<Sentence> train, IReadOnlyList<Sentence>? dev = null, IReadOnlyList<IReadOnlyList<Sentence>>? extra = null)
    {
        extra ??= [];
        if (extra.Count >= CorpusCopies.MaxCorpora) throw new ArgumentException($"at most {CorpusCopies.MaxCorpora - 1} extra corpora", nameof(extra));
        // The main corpus is corpus 0, the extra ones follow; lexicon folds are contiguous blocks of them all in this order.
        var corpora = new[] { train }.Concat(extra).Select(c => c.Where(s => !s.IsEmpty).ToList()).ToList();
        var all = corpora.SelectMany(c => c).ToList();
        // Word classes need every word's tag, and one standard: the extra corpora's words are not this corpus's.
        bool joint = options.WordClasses && extra.Count == 0 && all.Count > 0 && all.All(s => s.Words.All(w => w.Tag is not null));
        var lexiconWords = all.SelectMany(s => s.Words).Select(w => w.Text).ToHashSet(StringComparer.Ordinal);
        // Matched against normalized text, as a user dictionary is (the corpus's own words are kept as written).
        var givenWords = options.LexiconWords.Select(UserDictionary.Normalize).ToList();
        lexiconWords.UnionWith(givenWords);
        int folds = Math.Max(2, options.LexiconFolds);
        var foldLexicons = options.UseLexicon ? JackknifeLexicons(all, folds, givenWords, joint) : null;
        var lexicon = !options.UseLexicon ? null
            : joint ? new WordLexicon(lexiconWords, CommonestClasses(all, _ => true))
            : new WordLexicon(lexiconWords);
        var labels = joint ? WordLabels.Joint(WordClasses.Names) : WordLabels.Labels;
        int perPosition = extra.Count > 0 ? 2 * CharFeatures.Count : CharFeatures.Count;
        Func<ulong, ulong>? project = extra.Count > 0 ? CorpusCopies.Project : null;
        Func<AveragedWeights, double>? devScore = dev is null ? null
            : w => Score.Segmentation(new Segmenter(w.ToModel(options.PruneThreshold, project), lexicon, compile: false), dev);

        // One perceptron, or several whose weights are averaged: each shuffles and leaves the lexicon out of
        // sentences by its own seed, and numbers its epochs on from the one before (1 to N × epochs in all). They train
        // all at once, on sentences turned into rows once for all; progress is their sum. All at once, not one per core:
        // with two cores and three members, the third's run alone left a core idle (pd98: 47 s against 54–60 in all).
        int members = Math.Max(1, options.Ensemble);
        // Joint models learn some sentences without the lexicon, so that they also learn to find words it lacks.
        var dropouts = Enumerable.Range(0, members).Select(m => new Random(options.Seed + m)).ToArray();
        bool dropping = joint && foldLexicons is not null;
        var features = new FeatureRows();
        var instances = Enumerable.Range(0, members).Select(_ => new List<TrainingInstance>(all.Count)).ToArray();
        var dropped = new bool[members];
        int k = 0;
        for (int corpus = 0; corpus < corpora.Count; corpus++)
            foreach (var s in corpora[corpus])
            {
                var chars = SentenceEncoding.NormalizedChars(s.Text);
                var gold = joint ? SentenceEncoding.JointSegmentationLabels(s) : SentenceEncoding.SegmentationLabels(s);
                for (int m = 0; m < members; m++) dropped[m] = dropping && dropouts[m].NextDouble() < options.LexiconDropout;
                var matches = foldLexicons is null ? [] : new LexiconMatch[chars.Length];
                int[]? withoutLexicon = dropped.Contains(true) ? Rows(chars, matches, corpus) : null;
                if (foldLexicons is not null) foldLexicons[FoldOf(k, all.Count, folds)].Match(chars, matches);
                int[] rows = Rows(chars, matches, corpus);
                for (int m = 0; m < members; m++) instances[m].Add(new TrainingInstance(dropped[m] ? withoutLexicon! : rows, gold));
                k++;
            }
        int[] Rows(char[] chars, LexiconMatch[] matches, int corpus)
        {
            var keys = new ulong[chars.Length * CharFeatures.Count];
            CharFeatures.Extract(chars, matches, keys, joint && foldLexicons is not null);
            if (extra.Count > 0)
            {
                var expanded = new ulong[keys.Length * 2];
                CorpusCopies.Expand(keys, CharFeatures.Count, corpus, expanded);
                keys = expanded;
            }
            return features.Rows(keys, add: true);
        }

        var epochsDone = new double[members];
        AveragedWeights Member(int member)
        {
            var decoder = joint ? new JointDecoder(WordClasses.Names.Count) : null;
            var trainer = new PerceptronTrainer(labels, perPosition, features)
            {
                Decoder = decoder is null ? null : (transitions, emissions, n, output) =>
                {
                    decoder.Load(transitions);
                    decoder.Decode(transitions, emissions, n, output, default);
                },
            };
            Action<int, double>? progress = members == 1 ? null : (epoch, share) =>
            {
                epochsDone[member] = epoch - 1 + share;
                double sum = epochsDone.Sum();
                int current = Math.Min((int)sum + 1, members * options.Epochs);
                options.Progress?.Invoke("cws", current, sum - (current - 1));
            };
            return Run("cws", trainer, instances[member], devScore, options.Seed + member, member * options.Epochs, members * options.Epochs, progress);
        }


        // A joint model decides only where a six-label screen is unsure (Segmenter.Screen): trained alongside, quietly.
        var screen = joint
            ? Task.Run(() => new Trainer(options with { WordClasses = false, Ensemble = 1, Progress = null, EpochDone = null, Log = null })
                .TrainSegmenter(train, dev, extra))
            : null;
        var trained = new AveragedWeights[members];
        Parallel.For(0, members, new ParallelOptions { MaxDegreeOfParallelism = members }, m => trained[m] = Member(m));
        var model = AveragedWeights.Mean(trained).ToModel(options.PruneThreshold, project);
        return new Segmenter(model, lexicon, screen: screen?.GetAwaiter().GetResult());
    }

    /// <summary>Per word of two characters or more in the sentences <paramref name="include"/> takes, the word class it has most often (ties: the first).</summary>
    private static Dictionary<string, int> CommonestClasses(IReadOnlyList<Sentence> sentences, Func<int, bool> include)
    {
        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        for (int k = 0; k < sentences.Count; k++)
        {
            if (!include(k)) continue;
            foreach (var w in sentences[k].Words)
            {
                if (w.Text.Length < 2 || w.Tag is null) continue;
                if (!counts.TryGetValue(w.Text, out var c)) counts[w.Text] = c = new int[WordClasses.Names.Count];
                c[WordClasses.IdOf(w.Tag)]++;
            }
        }
        return counts.ToDictionary(kv => kv.Key, kv => Array.IndexOf(kv.Value, kv.Value.Max()), StringComparer.Ordinal);
    }

    /// <summary>The tag set of a corpus, sorted, so the POS and entity models agree on tag ids.</summary>
    public static List<string> TagsOf(IEnumerable<Sentence> corpus) =>
        corpus.SelectMany(s => s.Words).Select(w => w.Tag ?? "x").Distinct().Order(StringComparer.Ordinal).ToList();

    public PosTagger TrainTagger(IReadOnlyList<Sentence> train, IReadOnlyList<Sentence>? dev = null)
    {
        train = train.Where(s => !s.IsEmpty).ToList();
        var tagSet = LabelSchemes.Tags(TagsOf(train));
        var features = new FeatureRows(options.PosMinFeatureCount);
        var trainer = new PerceptronTrainer(tagSet, WordFeatures.Count, features);
        static ulong[] Keys(Sentence s)
        {
            var (chars, starts, hashes) = SentenceEncoding.Words(s);
            var keys = new ulong[hashes.Length * WordFeatures.Count];
            WordFeatures.Extract(chars, starts, hashes, keys);
            return keys;
        }
        if (options.PosMinFeatureCount > 1) foreach (var s in train) features.Count(Keys(s));
        var instances = new List<TrainingInstance>(train.Count);
        foreach (var s in train)
        {
            var gold = s.Words.Select(w => tagSet[w.Tag ?? "x"]).ToArray();
            instances.Add(new TrainingInstance(features.Rows(Keys(s), add: true), gold));
        }
        var settled = TagDictionaryOf(train, tagSet, options.PosSettledMinCount);
        options.Log?.Invoke($"pos: tag dictionary of {settled.Count:N0} words (seen {options.PosSettledMinCount}+ times, always with one tag)");
        var weights = Run("pos", trainer, instances, dev is null ? null : w => Score.Tagging(new PosTagger(w.ToModel(options.TaggingPruneThreshold), settled), dev));
        return new PosTagger(weights.ToModel(options.TaggingPruneThreshold), settled);
    }

    /// <summary>The words of <paramref name="train"/> seen at least <paramref name="minCount"/> times, always with one tag.</summary>
    public static TagDictionary TagDictionaryOf(IReadOnlyList<Sentence> train, LabelSet tagSet, int minCount) =>
        TagDictionary.Build(train.SelectMany(s =>
        {
            var hashes = SentenceEncoding.Words(s).Hashes;
            return s.Words.Select((w, i) => (hashes[i], tagSet.TryGetId(w.Tag ?? "x", out int t) ? t : -1));
        }), minCount);

    /// <summary>The words of <paramref name="train"/> seen at least <paramref name="minCount"/> times, never inside an
    /// entity of <paramref name="labels"/> (label O).</summary>
    public static TagDictionary EntityDictionaryOf(IReadOnlyList<Sentence> train, LabelSet labels, int minCount) =>
        TagDictionary.Build(train.SelectMany(s =>
        {
            var hashes = SentenceEncoding.Words(s).Hashes;
            var gold = EntityRecognizer.GoldLabels(s, labels);
            return hashes.Select((h, i) => (h, gold[i]));
        }), minCount, settles: label => label == 0);

    public EntityRecognizer TrainRecognizer(IReadOnlyList<Sentence> train, LabelSet tagSet, IReadOnlyList<Sentence>? dev = null)
    {
        train = train.Where(s => !s.IsEmpty).ToList();
        var labels = LabelSchemes.Entities(options.EntityLabels);
        var features = new FeatureRows();
        var trainer = new PerceptronTrainer(labels, EntityFeatures.Count, features);
        var instances = new List<TrainingInstance>(train.Count);
        foreach (var s in train)
        {
            var (chars, starts, hashes) = SentenceEncoding.Words(s);
            var tags = SentenceEncoding.TagIds(s, tagSet);
            var keys = new ulong[hashes.Length * EntityFeatures.Count];
            EntityFeatures.Extract(chars, starts, hashes, tags, keys);
            instances.Add(new TrainingInstance(features.Rows(keys, add: true), EntityRecognizer.GoldLabels(s, labels)));
        }
        var settled = EntityDictionaryOf(train, labels, options.EntitySettledMinCount);
        options.Log?.Invoke($"ner: tag dictionary of {settled.Count:N0} words (seen {options.EntitySettledMinCount}+ times, never inside an entity)");
        var weights = Run("ner", trainer, instances,
            dev is null ? null : w => Score.Entities(new EntityRecognizer(w.ToModel(options.TaggingPruneThreshold), tagSet.Count, settled), tagSet, dev, options.EntityLabels));
        return new EntityRecognizer(weights.ToModel(options.TaggingPruneThreshold), tagSet.Count, settled);
    }

    /// <summary>Epochs of perceptron training in a fixed shuffled order; keeps the epoch with the best dev score, or
    /// the last without a dev set (whose earlier averages are then never built: each costs a pass over every weight).</summary>
    private AveragedWeights Run(string task, PerceptronTrainer trainer, List<TrainingInstance> instances, Func<AveragedWeights, double>? devScore, int? seed = null,
        int epochsBefore = 0, int? epochsInAll = null, Action<int, double>? progress = null)
    {
        trainer.Prepare();
        int maxLen = instances.Max(x => x.Gold.Length);
        var emissions = new float[maxLen * trainer.Labels.Count];
        var predicted = new int[maxLen];
        var order = Enumerable.Range(0, instances.Count).ToArray();
        var random = new Random(seed ?? options.Seed);
        AveragedWeights? best = null;
        double bestScore = double.NegativeInfinity;
        int bestEpoch = 0;
        bool hasDev = false;
        options.Log?.Invoke($"{task}: {instances.Count:N0} sentences, {trainer.FeatureCount:N0} features, {trainer.Labels.Count} labels");
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            random.Shuffle(order);
            int correct = 0, done = 0, step = Math.Max(1, instances.Count / 200);
            foreach (int i in order)
            {
                if (trainer.Learn(instances[i], emissions, predicted)) correct++;
                if (++done % step != 0) continue;
                if (progress is not null) progress(epoch, (double)done / instances.Count);
                else options.Progress?.Invoke(task, epochsBefore + epoch, (double)done / instances.Count);
            }
            hasDev = devScore is not null;
            var weights = hasDev || epoch == options.Epochs ? trainer.Average(final: epoch == options.Epochs) : null;
            double? score = hasDev ? devScore!(weights!) : null;
            string devText = score is { } d ? $", dev {d:F2}" : "";
            int all = epochsInAll ?? options.Epochs;
            options.Log?.Invoke($"{task} epoch {epochsBefore + epoch}/{all}: {100.0 * correct / instances.Count:F1}% sentences right{devText}, {clock.Elapsed.TotalSeconds:F1}s");
            options.EpochDone?.Invoke(new EpochReport(task, epochsBefore + epoch, all, 100.0 * correct / instances.Count, score, clock.Elapsed.TotalSeconds));
            if (score is null || score > bestScore)
            {
                best = weights;
                bestScore = score ?? 0;
                bestEpoch = epoch;
            }
        }
        if (hasDev) options.Log?.Invoke($"{task}: kept epoch {bestEpoch} (dev {bestScore:F2})");
        return best!;
    }

    /// <summary>
    /// Folds are contiguous blocks, not interleaved sentences: an article's names then fall in one fold, so the
    /// model sees them missing from its lexicon as it will see new text's names at test time.
    /// </summary>
    private static int FoldOf(int sentence, int count, int folds) => (int)((long)sentence * folds / count);

    /// <summary>For fold k, the words of every other fold (with the class each has most often there, when
    /// <paramref name="classes"/>), and the <paramref name="extra"/> words.</summary>
    internal static WordLexicon[] JackknifeLexicons(IReadOnlyList<Sentence> train, int folds, IReadOnlyCollection<string> extra, bool classes = false)
    {
        // One pass: per word, its count in each fold, then (with classes) its count per fold and class.
        int K = WordClasses.Names.Count;
        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        for (int k = 0; k < train.Count; k++)
        {
            int fold = FoldOf(k, train.Count, folds);
            foreach (var w in train[k].Words)
            {
                if (w.Text.Length < 2) continue;
                ref var c = ref CollectionsMarshal.GetValueRefOrAddDefault(counts, w.Text, out _);
                c ??= new int[classes ? folds * (K + 1) : folds];
                c[fold]++;
                if (classes && w.Tag is not null) c[folds + fold * K + WordClasses.IdOf(w.Tag)]++;
            }
        }
        var result = new WordLexicon[folds];
        var elsewhere = new int[K];
        for (int f = 0; f < folds; f++)
        {
            var words = new List<string>();
            var classOf = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (word, c) in counts)
            {
                bool seen = false;
                for (int g = 0; g < folds; g++) seen |= g != f && c[g] > 0;
                if (!seen) continue;
                words.Add(word);
                if (!classes) continue;
                // The commonest class in the other folds (ties: the first), as for the whole corpus's lexicon.
                Array.Clear(elsewhere);
                for (int g = 0; g < folds; g++)
                    if (g != f) for (int id = 0; id < K; id++) elsewhere[id] += c[folds + g * K + id];
                int best = 0;
                for (int id = 1; id < K; id++) if (elsewhere[id] > elsewhere[best]) best = id;
                if (elsewhere[best] > 0) classOf[word] = best;
            }
            words.AddRange(extra);
            result[f] = classes ? new WordLexicon(words, classOf) : new WordLexicon(words);
        }
        return result;
    }
}
