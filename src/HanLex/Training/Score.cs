using HanLex.Corpus;
using HanLex.Evaluation;
using HanLex.Perceptron;
using HanLex.Tagging;

namespace HanLex.Training;

/// <summary>Dev-set scores of each model alone, on gold input: segmentation F1, tagging accuracy, entity F1.</summary>
internal static class Score
{
    public static double Segmentation(Segmenter segmenter, IReadOnlyList<Sentence> dev)
    {
        var scorer = new SegmentationScorer();
        var ws = new Workspace();
        foreach (var s in dev)
        {
            if (s.IsEmpty) continue;
            var chars = SentenceEncoding.NormalizedChars(s.Text);
            var labels = new int[chars.Length];
            segmenter.Label(chars, default, labels, ws);
            scorer.Add(s, Sentence.FromWords(Words(s.Text, labels).Select(w => (w, (string?)null))));
        }
        return scorer.Result.F1;
    }

    public static IEnumerable<string> Words(string text, int[] labels)
    {
        int start = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (WordLabels.EndsWord(labels[i]) || i == labels.Length - 1)
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }
    }

    public static double Tagging(PosTagger tagger, IReadOnlyList<Sentence> dev)
    {
        long right = 0, all = 0;
        var ws = new Workspace();
        foreach (var s in dev)
        {
            if (s.IsEmpty) continue;
            var (chars, starts, hashes) = SentenceEncoding.Words(s);
            var tags = new int[hashes.Length];
            tagger.Tag(chars, starts, hashes, default, tags, ws);
            for (int i = 0; i < tags.Length; i++)
            {
                all++;
                if (tagger.TagSet.Names[tags[i]] == s.Words[i].Tag) right++;
            }
        }
        return 100.0 * right / Math.Max(1, all);
    }

    public static double Entities(EntityRecognizer recognizer, LabelSet tagSet, IReadOnlyList<Sentence> dev, IReadOnlyList<string> labels)
    {
        var scorer = new EntityScorer(EntityLabels.Of(labels));
        var ws = new Workspace();
        foreach (var s in dev)
        {
            if (s.IsEmpty) continue;
            var (chars, starts, hashes) = SentenceEncoding.Words(s);
            var tags = SentenceEncoding.TagIds(s, tagSet);
            var y = new int[hashes.Length];
            recognizer.Label(chars, starts, hashes, tags, y, ws);
            var compounds = recognizer.Compounds(y);
            var pred = new Sentence(s.Words, compounds, null, s.Line);
            var gold = new Sentence(s.Words, s.Compounds.Where(c => c.Count >= 2).ToList(), null, s.Line);
            scorer.Add(gold, pred);
        }
        return scorer.MultiWord.F1;
    }
}
