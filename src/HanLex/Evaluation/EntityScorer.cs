using HanLex.Corpus;

namespace HanLex.Evaluation;

/// <summary>
/// Exact-span named-entity scores per type and micro-averaged, over all entities and over multi-word entities only
/// (compounds of two or more words, the figure HanLP publishes).
/// </summary>
public sealed class EntityScorer(EntityLabels labels)
{
    private readonly SortedDictionary<string, Prf> _perType = new(StringComparer.Ordinal);
    private Prf _micro, _multiWord;

    public Prf Micro => _micro;
    public Prf MultiWord => _multiWord;
    public IReadOnlyDictionary<string, Prf> PerType => _perType;

    public void Add(Sentence gold, Sentence pred)
    {
        var g = labels.Extract(gold);
        var p = labels.Extract(pred);
        var predSet = new HashSet<(int, int, string)>();
        foreach (var e in p)
        {
            predSet.Add((e.Start, e.End, e.Type));
            Count(e.Type, pred: 1);
            _micro.Pred++;
            if (e.WordCount > 1) _multiWord.Pred++;
        }
        var goldMulti = new HashSet<(int, int, string)>();
        foreach (var e in g)
        {
            Count(e.Type, gold: 1);
            _micro.Gold++;
            if (e.WordCount > 1) { _multiWord.Gold++; goldMulti.Add((e.Start, e.End, e.Type)); }
            if (predSet.Contains((e.Start, e.End, e.Type)))
            {
                Count(e.Type, correct: 1);
                _micro.Correct++;
            }
        }
        foreach (var e in p)
            if (e.WordCount > 1 && goldMulti.Contains((e.Start, e.End, e.Type))) _multiWord.Correct++;
    }

    private void Count(string type, int gold = 0, int pred = 0, int correct = 0)
    {
        _perType.TryGetValue(type, out var prf);
        prf.Gold += gold;
        prf.Pred += pred;
        prf.Correct += correct;
        _perType[type] = prf;
    }
}
