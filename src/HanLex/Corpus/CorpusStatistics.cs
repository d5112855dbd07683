namespace HanLex.Corpus;

/// <summary>Counts over a corpus: sentences, words (compounds flattened), characters, compounds, tags, vocabulary.</summary>
public sealed class CorpusStatistics
{
    private readonly Dictionary<string, long> _tags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _compounds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _vocabulary = new(StringComparer.Ordinal);

    public long Sentences { get; private set; }
    public long Words { get; private set; }
    public long Characters { get; private set; }
    public long Compounds { get; private set; }
    public long UntaggedWords { get; private set; }
    public IReadOnlyDictionary<string, long> Tags => _tags;
    public IReadOnlyDictionary<string, long> CompoundsByLabel => _compounds;
    public IReadOnlyCollection<string> Vocabulary => _vocabulary.Keys;

    /// <summary>How often each word occurs.</summary>
    public IReadOnlyDictionary<string, long> WordCounts => _vocabulary;

    public void Add(Sentence sentence)
    {
        if (sentence.IsEmpty) return;
        Sentences++;
        Words += sentence.Words.Count;
        Characters += sentence.Text.Length;
        foreach (var w in sentence.Words)
        {
            _vocabulary[w.Text] = _vocabulary.GetValueOrDefault(w.Text) + 1;
            if (w.Tag is null) UntaggedWords++;
            else _tags[w.Tag] = _tags.GetValueOrDefault(w.Tag) + 1;
        }
        foreach (var c in sentence.Compounds)
        {
            Compounds++;
            _compounds[c.Label] = _compounds.GetValueOrDefault(c.Label) + 1;
        }
    }

    /// <summary>Tokens and types of this corpus missing from <paramref name="other"/>, as percentages.</summary>
    public (double TokenRate, double TypeRate) OovRate(IReadOnlySet<string> other)
    {
        long oovTokens = 0, oovTypes = 0;
        foreach (var (word, count) in _vocabulary)
        {
            if (other.Contains(word)) continue;
            oovTypes++;
            oovTokens += count;
        }
        return (Words == 0 ? 0 : 100.0 * oovTokens / Words, _vocabulary.Count == 0 ? 0 : 100.0 * oovTypes / _vocabulary.Count);
    }
}
