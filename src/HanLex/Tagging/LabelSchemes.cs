using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>The label schemes of the three tasks.</summary>
public static class LabelSchemes
{
    /// <summary>A part-of-speech tag set: any tag may follow any other.</summary>
    public static LabelSet Tags(IEnumerable<string> tags) => new(tags.ToArray());

    /// <summary>O plus B-x, M-x, E-x for each entity label x, with the grammar of well-formed spans.</summary>
    public static LabelSet Entities(IReadOnlyList<string> entityLabels)
    {
        var names = new List<string> { "O" };
        foreach (var x in entityLabels) names.AddRange([$"B-{x}", $"M-{x}", $"E-{x}"]);
        int n = names.Count;
        var allowed = new bool[n, n];
        var first = new bool[n];
        var last = new bool[n];
        first[0] = last[0] = true;
        for (int a = 0; a < n; a++)
        {
            bool closes = a == 0 || (a - 1) % 3 == 2; // O or E-x
            for (int b = 0; b < n; b++)
            {
                bool opens = b == 0 || (b - 1) % 3 == 0; // O or B-x
                bool continues = b != 0 && (b - 1) % 3 != 0 && a != 0 && (a - 1) % 3 != 2 && (a - 1) / 3 == (b - 1) / 3;
                allowed[a, b] = closes ? opens : continues;
            }
        }
        for (int b = 1; b < n; b++)
        {
            first[b] = (b - 1) % 3 == 0;
            last[b] = (b - 1) % 3 == 2;
        }
        return new LabelSet(names, allowed, first, last);
    }
}
