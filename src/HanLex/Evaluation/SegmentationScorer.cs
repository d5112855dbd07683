using HanLex.Corpus;

namespace HanLex.Evaluation;

/// <summary>
/// Word-span precision, recall and F1 (compounds flattened), with OOV and IV recall against a training vocabulary
/// as in the SIGHAN bakeoffs.
/// </summary>
public sealed class SegmentationScorer(IReadOnlySet<string>? trainVocabulary = null)
{
    private Prf _all;
    private long _oovGold, _oovCorrect, _ivGold, _ivCorrect;

    public Prf Result => _all;
    public bool HasVocabulary => trainVocabulary is not null;
    public double OovRecall => _oovGold == 0 ? 0 : 100.0 * _oovCorrect / _oovGold;
    public double IvRecall => _ivGold == 0 ? 0 : 100.0 * _ivCorrect / _ivGold;
    public double OovRate => _oovGold + _ivGold == 0 ? 0 : 100.0 * _oovGold / (_oovGold + _ivGold);

    public void Add(Sentence gold, Sentence pred)
    {
        var g = gold.Words;
        var p = pred.Words;
        _all.Gold += g.Count;
        _all.Pred += p.Count;
        int j = 0;
        foreach (var w in g)
        {
            while (j < p.Count && p[j].Offset < w.Offset) j++;
            bool correct = j < p.Count && p[j].Offset == w.Offset && p[j].End == w.End;
            if (correct) _all.Correct++;
            if (trainVocabulary is null) continue;
            if (trainVocabulary.Contains(w.Text)) { _ivGold++; if (correct) _ivCorrect++; }
            else { _oovGold++; if (correct) _oovCorrect++; }
        }
    }
}
