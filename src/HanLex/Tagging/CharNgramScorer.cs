using HanLex.Features;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>
/// The segmentation model compiled for decoding. A character's unigram weights at all five window offsets, and a
/// bigram's at all four, are gathered into one block each, so each character and each bigram is looked up once
/// instead of once per position that sees it; the other templates go through the model as usual. Built once at
/// load; read-only.
/// </summary>
public sealed class CharNgramScorer
{
    private const int UnigramOffsets = 5, BigramOffsets = 4;
    private readonly int L;
    private readonly float[] _bias;
    private readonly int[] _unigramRow = new int[65536]; // char → block + 1 (0: none)
    private readonly float[] _unigrams;
    private readonly FeatureMap _bigramRows;
    private readonly float[] _bigrams;

    /// <summary>The model restricted to the templates scored per position.</summary>
    public LinearModel Residual { get; }

    public CharNgramScorer(LinearModel model)
    {
        L = model.Labels.Count;
        _bias = new float[L];
        // Straight from the sparse rows into the final arrays: this runs at every load, so no per-row allocations.
        var keys = model.Keys;
        var rowStart = model.RowStart;
        var entries = model.Entries;
        var bigramBlock = new Dictionary<uint, int>();
        int unigramCount = 0;
        var residualRows = new List<int>();
        for (int r = 0; r < keys.Length; r++)
        {
            int template = (int)(keys[r] >> 56);
            if (template >= CharFeatures.Unigram0 && template <= CharFeatures.UnigramN2)
            {
                char a = (char)(keys[r] >> 32);
                if (_unigramRow[a] == 0) _unigramRow[a] = ++unigramCount;
            }
            else if (template >= CharFeatures.BigramP1C && template <= CharFeatures.BigramN1N2)
                bigramBlock.TryAdd((uint)(keys[r] >> 16), bigramBlock.Count);
            else if (template != 1)
                residualRows.Add(r);
        }
        _unigrams = new float[unigramCount * UnigramOffsets * L];
        _bigrams = new float[bigramBlock.Count * BigramOffsets * L];
        for (int r = 0; r < keys.Length; r++)
        {
            ulong key = keys[r];
            int template = (int)(key >> 56);
            char a = (char)(key >> 32);
            // Offset of the target position from the n-gram's first character.
            int offset = template switch
            {
                CharFeatures.Unigram0 => 0,
                CharFeatures.UnigramP1 => 1,
                CharFeatures.UnigramN1 => -1,
                CharFeatures.UnigramP2 => 2,
                CharFeatures.UnigramN2 => -2,
                CharFeatures.BigramP1C => 1,
                CharFeatures.BigramCN1 => 0,
                CharFeatures.BigramP2P1 => 2,
                CharFeatures.BigramN1N2 => -1,
                _ => int.MinValue,
            };
            float[] target;
            int at;
            if (template == 1) (target, at) = (_bias, 0);
            else if (template <= CharFeatures.UnigramN2) (target, at) = (_unigrams, ((_unigramRow[a] - 1) * UnigramOffsets + offset + 2) * L);
            else if (template <= CharFeatures.BigramN1N2) (target, at) = (_bigrams, (bigramBlock[(uint)(key >> 16)] * BigramOffsets + offset + 1) * L);
            else continue;
            foreach (var e in entries[rowStart[r]..rowStart[r + 1]]) target[at + e.Label] = e.Weight;
        }
        var bigramKeys = new ulong[bigramBlock.Count];
        foreach (var (bigram, block) in bigramBlock) bigramKeys[block] = (ulong)bigram | 1UL << 40; // the high bit keeps keys from being 0
        _bigramRows = new FeatureMap(bigramKeys, Enumerable.Range(0, bigramKeys.Length + 1).ToArray());
        Residual = model.Rows(residualRows);
    }

    private static ulong BigramKey(ReadOnlySpan<char> chars, int j)
    {
        int n = chars.Length;
        char a = j < 0 ? CharFeatures.Bos : j >= n ? CharFeatures.Eos : chars[j];
        char b = j + 1 < 0 ? CharFeatures.Bos : j + 1 >= n ? CharFeatures.Eos : chars[j + 1];
        return (ulong)((uint)a << 16 | b) | 1UL << 40;
    }

    /// <summary>Adds the bias, unigram and bigram weights of every position of <paramref name="chars"/> to <paramref name="emissions"/>.</summary>
    public void AddScores(ReadOnlySpan<char> chars, Span<float> emissions)
    {
        int n = chars.Length;
        for (int i = 0; i < n; i++) Vectors.AddInto(emissions.Slice(i * L, L), _bias);
        // Characters -2 .. n+1 of the padded sentence, each scattered to the positions whose window holds it.
        for (int j = -2; j < n + 2; j++)
        {
            char c = j < 0 ? CharFeatures.Bos : j >= n ? CharFeatures.Eos : chars[j];
            int row = _unigramRow[c];
            if (row == 0) continue;
            var block = _unigrams.AsSpan((row - 1) * UnigramOffsets * L, UnigramOffsets * L);
            for (int d = -2; d <= 2; d++)
            {
                int target = j + d;
                if ((uint)target < (uint)n) Vectors.AddInto(emissions.Slice(target * L, L), block.Slice((d + 2) * L, L));
            }
        }
        // Bigrams miss the cache: prefetch every slot of the sentence first so the misses overlap.
        for (int j = -2; j <= n; j++) _bigramRows.Prefetch(BigramKey(chars, j));
        for (int j = -2; j <= n; j++)
        {
            if (!_bigramRows.TryFind(BigramKey(chars, j), out int start, out _)) continue;
            var block = _bigrams.AsSpan(start * BigramOffsets * L, BigramOffsets * L);
            for (int d = -1; d <= 2; d++)
            {
                int target = j + d;
                if ((uint)target < (uint)n) Vectors.AddInto(emissions.Slice(target * L, L), block.Slice((d + 1) * L, L));
            }
        }
    }
}
