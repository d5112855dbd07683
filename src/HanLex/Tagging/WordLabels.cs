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
    /// <remarks>Checks the names and grammar against the rule of <see cref="Joint"/> in place, without building that set:
    /// this runs at every load of a segmentation model.</remarks>
    public static string[]? ClassesOf(LabelSet labels)
    {
        int L = labels.Count;
        if (L % Positions != 0 || L == Positions) return null;
        var classes = new string[L / Positions];
        var positions = Labels;
        for (int a = 0; a < L; a++)
        {
            string name = labels.Names[a], position = positions.Names[a % Positions];
            if (name.Length <= position.Length + 1 || !name.StartsWith(position, StringComparison.Ordinal) || name[position.Length] != '-') return null;
            if (a % Positions == 0) classes[a / Positions] = name[(position.Length + 1)..];
            else if (!name.AsSpan(position.Length + 1).SequenceEqual(classes[a / Positions])) return null;
            if (labels.AllowedFirst[a] != positions.AllowedFirst[a % Positions] || labels.AllowedLast[a] != positions.AllowedLast[a % Positions]) return null;
        }
        return GrammarIsJoint(labels.Allowed, positions.Allowed) ? classes : null;
    }

    /// <summary>Whether <paramref name="allowed"/> is the joint grammar of <see cref="Joint"/> over <paramref name="positions"/>.</summary>
    private static bool GrammarIsJoint(bool[,] allowed, bool[,] positions)
    {
        int L = allowed.GetLength(0);
        for (int a = 0; a < L; a++)
            for (int b = 0; b < L; b++)
                if (allowed[a, b] != (positions[a % Positions, b % Positions] && (EndsWord(a % Positions) || a / Positions == b / Positions))) return false;
        return true;
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
