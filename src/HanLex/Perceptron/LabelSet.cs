namespace HanLex.Perceptron;

/// <summary>
/// The labels a model outputs (B/M/E/S, a tag set, B-nt/M-nt/E-nt/O), frozen once built, with the transitions the
/// label grammar allows. Label ids are indices into <see cref="Names"/>.
/// </summary>
public sealed class LabelSet
{
    private readonly Dictionary<string, int> _ids;

    public LabelSet(IReadOnlyList<string> names, bool[,]? allowed = null, bool[]? allowedFirst = null, bool[]? allowedLast = null)
    {
        Names = names.ToArray();
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Names.Count; i++) _ids[Names[i]] = i;
        int n = Names.Count;
        Allowed = allowed ?? Full(n, n);
        AllowedFirst = allowedFirst ?? Enumerable.Repeat(true, n).ToArray();
        AllowedLast = allowedLast ?? Enumerable.Repeat(true, n).ToArray();
    }

    public IReadOnlyList<string> Names { get; }
    public int Count => Names.Count;

    /// <summary>Allowed[prev, next]: whether label next may follow label prev.</summary>
    public bool[,] Allowed { get; }
    public bool[] AllowedFirst { get; }
    public bool[] AllowedLast { get; }

    public int this[string name] => _ids[name];

    public bool TryGetId(string name, out int id) => _ids.TryGetValue(name, out id);

    private static bool[,] Full(int a, int b)
    {
        var m = new bool[a, b];
        for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) m[i, j] = true;
        return m;
    }
}
