using System.Runtime.CompilerServices;
using HanLex.Corpus;
using HanLex.Features;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>
/// Named-entity recognition over words and their tags: B-x/M-x/E-x/O labels that rebuild multi-word compounds
/// such as <c>[湖北省/ns 环保厅/nis]/nt</c>. Single-word entities keep the tag the POS model gave them.
/// </summary>
public sealed class EntityRecognizer(LinearModel model)
{
    public LinearModel Model => model;

    /// <summary>The entity labels, in label-id order (label 1 + 3k is B of label k).</summary>
    public IReadOnlyList<string> EntityLabels { get; } =
        Enumerable.Range(0, (model.Labels.Count - 1) / 3).Select(k => model.Labels.Names[1 + 3 * k][2..]).ToArray();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public void Label(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<ulong> hashes, ReadOnlySpan<int> tags,
        Span<int> labels, Workspace ws)
    {
        int n = hashes.Length;
        if (n == 0) return;
        var keys = ws.KeysFor(n * EntityFeatures.Count);
        EntityFeatures.Extract(text, starts, hashes, tags, keys);
        ws.ScoreAndDecode(model, keys, EntityFeatures.Count, ws.EmissionsFor(n * model.Labels.Count), labels[..n]);
    }

    /// <summary>Turns labels into compounds over word ranges.</summary>
    public List<Compound> Compounds(ReadOnlySpan<int> labels)
    {
        var result = new List<Compound>();
        int start = -1;
        for (int i = 0; i < labels.Length; i++)
        {
            int y = labels[i];
            if (y == 0) { start = -1; continue; }
            int role = (y - 1) % 3;
            if (role == 0) start = i;
            else if (role == 2 && start >= 0)
            {
                result.Add(new Compound(start, i - start + 1, EntityLabels[(y - 1) / 3]));
                start = -1;
            }
        }
        return result;
    }

    /// <summary>Gold labels of a sentence: entity compounds of two or more words become B/M/E, the rest O.</summary>
    public static int[] GoldLabels(Sentence sentence, LabelSet labels)
    {
        var gold = new int[sentence.Words.Count];
        foreach (var c in sentence.Compounds)
        {
            if (c.Count < 2 || !labels.TryGetId("B-" + c.Label, out int b)) continue;
            gold[c.Start] = b;
            for (int i = c.Start + 1; i < c.End - 1; i++) gold[i] = b + 1;
            gold[c.End - 1] = b + 2;
        }
        return gold;
    }
}
