using HanLex.Corpus;

namespace HanLex.Evaluation;

/// <summary>
/// POS scores: accuracy over the words whose spans agree (all of them when the segmentation is gold), and joint
/// segmentation+tagging precision, recall and F1, where a word counts only when its span and tag both match.
/// </summary>
public sealed class TaggingScorer
{
    private Prf _joint;
    private long _aligned, _alignedCorrect;
    private readonly Dictionary<(string Gold, string Predicted), long> _confusion = new();

    public Prf Joint => _joint;
    public double Accuracy => _aligned == 0 ? 0 : 100.0 * _alignedCorrect / _aligned;
    public long AlignedWords => _aligned;

    /// <summary>Counts of (gold tag, predicted tag) over the aligned words, the diagonal included.</summary>
    public IReadOnlyDictionary<(string Gold, string Predicted), long> Confusion => _confusion;

    public void Add(Sentence gold, Sentence pred)
    {
        var g = gold.Words;
        var p = pred.Words;
        _joint.Gold += g.Count;
        _joint.Pred += p.Count;
        int j = 0;
        foreach (var w in g)
        {
            while (j < p.Count && p[j].Offset < w.Offset) j++;
            if (j < p.Count && p[j].Offset == w.Offset && p[j].End == w.End)
            {
                _aligned++;
                var pair = (w.Tag ?? "", p[j].Tag ?? "");
                _confusion[pair] = _confusion.GetValueOrDefault(pair) + 1;
                if (string.Equals(p[j].Tag, w.Tag, StringComparison.Ordinal))
                {
                    _alignedCorrect++;
                    _joint.Correct++;
                }
            }
        }
    }
}
