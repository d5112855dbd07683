using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>
/// The segmentation labels: the six-tag scheme B, B2, B3, M, E, S (Zhao et al. 2006), which tells the model how far
/// into a word a character is and segments better than B/M/E/S. A word is S, B E, B B2 E, B B2 B3 E, or B B2 B3 M* E.
/// </summary>
public static class WordLabels
{
    public const int B = 0, B2 = 1, B3 = 2, M = 3, E = 4, S = 5;

    public static LabelSet Labels { get; } = Create();

    /// <summary>Labels that may not end a word / may not start one, for keeping surrogate pairs whole.</summary>
    public const ulong NotEnding = (1UL << B) | (1UL << B2) | (1UL << B3) | (1UL << M);
    public const ulong NotStarting = (1UL << B2) | (1UL << B3) | (1UL << M) | (1UL << E);

    public static bool EndsWord(int label) => label >= E;

    /// <summary>Positions per word class in a joint label set.</summary>
    public const int Positions = 6;

    /// <summary>
    /// Each position paired with each word class (<see cref="WordClasses"/>): label <c>class × 6 + position</c>, named
    /// like <c>B-v</c>. Inside a word the class stays; any word may follow any other.
    /// </summary>
    public static LabelSet Joint(IReadOnlyList<string> classes)
    {
        int K = classes.Count, L = K * Positions;
        var names = new string[L];
        var allowed = new bool[L, L];
        var first = new bool[L];
        var last = new bool[L];
        var positions = Labels;
        for (int a = 0; a < L; a++)
        {
            names[a] = positions.Names[a % Positions] + "-" + classes[a / Positions];
            first[a] = positions.AllowedFirst[a % Positions];
            last[a] = positions.AllowedLast[a % Positions];
            for (int b = 0; b < L; b++)
                allowed[a, b] = positions.Allowed[a % Positions, b % Positions] && (EndsWord(a % Positions) || a / Positions == b / Positions);
        }
        return new LabelSet(names, allowed, first, last);
    }

    /// <summary>The word classes of a joint label set (<see cref="Joint"/>), or null when <paramref name="labels"/> is another set.</summary>
    public static string[]? ClassesOf(LabelSet labels)
    {
        if (labels.Count % Positions != 0 || labels.Count == Positions) return null;
        var classes = new string[labels.Count / Positions];
        for (int c = 0; c < classes.Length; c++)
        {
            string name = labels.Names[c * Positions];
            if (!name.StartsWith("B-", StringComparison.Ordinal)) return null;
            classes[c] = name[2..];
        }
        var expected = Joint(classes);
        for (int a = 0; a < labels.Count; a++)
        {
            if (labels.Names[a] != expected.Names[a] || labels.AllowedFirst[a] != expected.AllowedFirst[a] || labels.AllowedLast[a] != expected.AllowedLast[a]) return null;
            for (int b = 0; b < labels.Count; b++) if (labels.Allowed[a, b] != expected.Allowed[a, b]) return null;
        }
        return classes;
    }

    /// <summary>The label of the character at <paramref name="position"/> in a word of <paramref name="length"/> characters.</summary>
    public static int Of(int position, int length) =>
        length == 1 ? S : position == length - 1 ? E : position switch { 0 => B, 1 => B2, 2 => B3, _ => M };

    /// <summary>Writes the labels of one word.</summary>
    public static void Encode(int length, Span<int> labels)
    {
        for (int i = 0; i < length; i++) labels[i] = Of(i, length);
    }

    private static LabelSet Create()
    {
        var allowed = new bool[6, 6];
        allowed[B, B2] = allowed[B, E] = true;
        allowed[B2, B3] = allowed[B2, E] = true;
        allowed[B3, M] = allowed[B3, E] = true;
        allowed[M, M] = allowed[M, E] = true;
        allowed[E, B] = allowed[E, S] = true;
        allowed[S, B] = allowed[S, S] = true;
        bool[] first = [true, false, false, false, false, true];
        bool[] last = [false, false, false, false, true, true];
        return new LabelSet(["B", "B2", "B3", "M", "E", "S"], allowed, first, last);
    }
}
