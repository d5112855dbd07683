namespace HanLex.Perceptron;

/// <summary>
/// A perceptron's averaged weights, still dense (a weight for every label of every feature row of
/// <see cref="Features"/>): the form in which an ensemble's members are averaged, weight by weight, before the result
/// is frozen into a sparse <see cref="LinearModel"/>.
/// </summary>
public sealed class AveragedWeights
{
    internal AveragedWeights(LabelSet labels, FeatureRows features, float[] rows, float[] transitions)
    {
        Labels = labels;
        Features = features;
        Rows = rows;
        Transitions = transitions;
    }

    public LabelSet Labels { get; }
    public FeatureRows Features { get; }

    /// <summary>Row <c>r</c>'s weights at <c>r × Labels.Count</c>.</summary>
    internal float[] Rows { get; }

    internal float[] Transitions { get; }

    /// <summary>
    /// The mean of <paramref name="members"/>, trained over the same feature rows and labels, summed in their order
    /// (the same model whichever finished first). The first member's arrays are reused for it.
    /// </summary>
    public static AveragedWeights Mean(IReadOnlyList<AveragedWeights> members)
    {
        var first = members[0];
        if (members.Count == 1) return first;
        foreach (var m in members.Skip(1))
        {
            if (m.Features != first.Features || m.Labels.Count != first.Labels.Count || m.Rows.Length != first.Rows.Length)
                throw new ArgumentException("members must share their feature rows and labels", nameof(members));
            Vectors.AddInto(first.Rows, m.Rows);
            Vectors.AddInto(first.Transitions, m.Transitions);
        }
        Vectors.Scale(first.Rows, 1f / members.Count);
        Vectors.Scale(first.Transitions, 1f / members.Count);
        return first;
    }

    /// <summary>The weights as a frozen sparse model, dropping weights of magnitude at most <paramref name="threshold"/>.</summary>
    /// <param name="project">When given, the key each row is scored under in the model: rows that meet are summed
    /// (before pruning), and a row projected to 0 is dropped.</param>
    public LinearModel ToModel(float threshold, Func<ulong, ulong>? project = null)
    {
        int L = Labels.Count;
        var keys = Features.Keys;
        if (project is not null)
        {
            // Pruned only once summed: two small weights can add up to one that is kept.
            var merged = new Dictionary<ulong, float[]>();
            for (int r = 0; r < keys.Count; r++)
            {
                ulong key = project(keys[r]);
                if (key == 0) continue;
                var row = Rows.AsSpan(r * L, L);
                if (merged.TryGetValue(key, out var sum)) Vectors.AddInto(sum, row);
                else merged[key] = row.ToArray();
            }
            return LinearModel.FromDense(Labels, merged, Transitions, threshold);
        }
        // Rows with a weight kept, in key order, then their entries straight into place.
        var kept = new List<int>();
        int entryCount = 0;
        for (int r = 0; r < keys.Count; r++)
        {
            int n = Kept(Rows.AsSpan(r * L, L), threshold);
            if (n == 0) continue;
            kept.Add(r);
            entryCount += n;
        }
        var rowsByKey = kept.ToArray();
        var sortedKeys = rowsByKey.Select(r => keys[r]).ToArray();
        Array.Sort(sortedKeys, rowsByKey);
        var rowStart = new int[rowsByKey.Length + 1];
        var entries = new LinearModel.Entry[entryCount];
        int at = 0;
        for (int i = 0; i < rowsByKey.Length; i++)
        {
            var row = Rows.AsSpan(rowsByKey[i] * L, L);
            for (int l = 0; l < L; l++)
                if (LinearModel.IsKept(row[l], threshold)) entries[at++] = new LinearModel.Entry(l, row[l]);
            rowStart[i + 1] = at;
        }
        return new LinearModel(Labels, sortedKeys, rowStart, entries, Transitions);
    }

    private static int Kept(ReadOnlySpan<float> row, float threshold)
    {
        int n = 0;
        foreach (float w in row) if (LinearModel.IsKept(w, threshold)) n++;
        return n;
    }
}
