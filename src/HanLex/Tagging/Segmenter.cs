using System.Runtime.CompilerServices;
using HanLex.Features;
using HanLex.Lexicon;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>
/// Word segmentation as character labelling with a linear model and Viterbi decoding. The labels are word positions
/// (<see cref="WordLabels"/>), or positions joined with word classes (<see cref="WordLabels.Joint"/>), whose classes
/// stay inside: <see cref="Label"/> gives positions either way. A joint model with a <see cref="Screen"/> decides only
/// where that six-label model is unsure.
/// </summary>
public sealed class Segmenter
{
    // Learned overlays live outside the compiled tables; such a model is scored template by template.
    private readonly SegmentationKernel? _kernel;
    private readonly JointKernel? _jointKernel;
    private readonly JointDecoder? _joint;
    private readonly bool _lexiconClasses;

    /// <param name="screen">A six-label model run first: only the characters it is unsure of (margin under
    /// <see cref="ScreenMargin"/>), with <see cref="ScreenWindow"/> on each side, go to this joint model (docs/training.md).</param>
    public Segmenter(LinearModel model, WordLexicon? lexicon, bool compile = true, Segmenter? screen = null)
        : this(model, lexicon, compile, () => screen)
    {
    }

    /// <param name="screen">Called once this model is compiled: a screen loaded meanwhile costs no load time.</param>
    internal Segmenter(LinearModel model, WordLexicon? lexicon, bool compile, Func<Segmenter?> screen)
    {
        Model = model;
        Lexicon = lexicon;
        WordClasses = WordLabels.ClassesOf(model.Labels);
        if (WordClasses is null && model.Labels.Count != WordLabels.Positions)
            throw new ArgumentException($"a segmentation model's labels are the {WordLabels.Positions} word positions, or those of each word class", nameof(model));
        _joint = WordClasses is null ? null : new JointDecoder(WordClasses.Length, model.EffectiveTransitions);
        _lexiconClasses = lexicon?.HasClasses == true;
        _kernel = compile && _joint is null && !_lexiconClasses && SegmentationKernel.Supports(model) ? new SegmentationKernel(model, lexicon) : null;
        _jointKernel = compile && JointKernel.Supports(model, WordClasses) ? new JointKernel(model, lexicon, WordClasses!) : null;
        Screen = screen();
    }

    /// <summary>A copy of <paramref name="cascade"/> that sends characters to its joint model under another margin and
    /// window, sharing its compiled tables: what <c>bench … cascade</c> sweeps.</summary>
    internal Segmenter(Segmenter cascade, float screenMargin, int screenWindow)
    {
        Model = cascade.Model;
        Lexicon = cascade.Lexicon;
        WordClasses = cascade.WordClasses;
        Screen = cascade.Screen;
        _kernel = cascade._kernel;
        _jointKernel = cascade._jointKernel;
        _joint = cascade._joint;
        _lexiconClasses = cascade._lexiconClasses;
        _screenMargin = screenMargin;
        _screenWindow = screenWindow;
    }

    public LinearModel Model { get; }
    public WordLexicon? Lexicon { get; }

    /// <summary>The six-label model a joint one decides after, or null.</summary>
    public Segmenter? Screen { get; }

    /// <summary>Whether labelling runs on compiled kernels (a model with a learned overlay does not: it is several times slower).</summary>
    internal bool IsCompiled => _kernel is not null || _jointKernel is not null && (Screen is null || Screen.IsCompiled);

    /// <summary>Margins (max-marginals of the screen) under which a character, with <see cref="ScreenWindow"/> on each
    /// side, goes to the joint model: on a dev split of pd98 and on its test split, 40 and 1 are within 0.02 F1 of the
    /// best setting while the joint model decides a tenth of the characters (docs/training.md, <c>bench … cascade</c>).</summary>
    public const float ScreenMargin = 40;

    public const int ScreenWindow = 1;

    private readonly float _screenMargin = ScreenMargin;
    private readonly int _screenWindow = ScreenWindow;

    /// <summary>The word classes of a joint model's labels, in label order; null for a model of positions alone.</summary>
    public string[]? WordClasses { get; }

    /// <summary>Labels <paramref name="chars"/> (normalized) with word positions; <paramref name="allowed"/> may constrain
    /// positions (bitmasks over <see cref="WordLabels"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public void Label(ReadOnlySpan<char> chars, ReadOnlySpan<ulong> allowed, Span<int> labels, Workspace ws)
    {
        int n = chars.Length;
        if (n == 0) return;
        if (_kernel is not null)
        {
            _kernel.Label(chars, allowed, labels[..n], ws);
            return;
        }
        if (Screen?._kernel is { } screen && _jointKernel is not null)
        {
            Cascade(screen, chars, allowed, labels[..n], ws);
            return;
        }
        Decode(chars, allowed, labels, ws);
        if (_joint is not null)
            for (int i = 0; i < n; i++) labels[i] %= WordLabels.Positions;
    }

    /// <summary>
    /// The screen labels every character and says where it is unsure; each run of unsure characters (and
    /// <see cref="ScreenWindow"/> either side), widened to whole screen words, is decoded again by the joint model as a
    /// sentence of its own, whose character features read the real neighbours. The character after the run goes with it
    /// as a one-character word, so that the run's last word is followed by a word of some class, as inside a sentence
    /// (docs/training.md: as accurate as a whole screen word of context each side, with a quarter less to score).
    /// </summary>
    /// <returns>How many characters the joint model decided.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private int Cascade(SegmentationKernel screen, ReadOnlySpan<char> chars, ReadOnlySpan<ulong> allowed, Span<int> labels, Workspace ws)
    {
        int n = chars.Length;
        Workspace.Ensure(ref ws.Margins, n);
        var margins = ws.Margins.AsSpan(0, n);
        screen.Label(chars, allowed, labels, ws, margins);
        Workspace.Ensure(ref ws.SpanAllowed, n);
        Workspace.Ensure(ref ws.SpanLabels, n);
        float screenMargin = _screenMargin;
        int window = _screenWindow, decided = 0, joint = 0; // decided: characters before this are final
        for (int i = 0; i < n; i++)
        {
            if (margins[i] >= screenMargin) continue;
            // The run: unsure characters at most 2 × window apart, their windows joined.
            int end = Math.Min(n, i + window + 1);
            for (int j = i + 1; j < n && j <= end + window; j++)
                if (margins[j] < screenMargin) end = Math.Min(n, j + window + 1);
            int a = Math.Max(decided, i - window), b = end;
            while (a > 0 && !WordLabels.EndsWord(labels[a - 1])) a--;
            while (b < n && !WordLabels.EndsWord(labels[b - 1])) b++;
            int to = Math.Min(n, b + 1);
            var spanAllowed = ws.SpanAllowed.AsSpan(0, to - a);
            for (int j = a; j < b; j++) spanAllowed[j - a] = allowed.IsEmpty ? 0 : allowed[j];
            if (to > b) spanAllowed[^1] = 1UL << WordLabels.S;
            var spanLabels = ws.SpanLabels.AsSpan(0, to - a);
            _jointKernel!.Label(chars, a, to, spanAllowed, spanLabels, ws);
            for (int j = a; j < b; j++) labels[j] = spanLabels[j - a] % WordLabels.Positions;
            joint += b - a;
            decided = b;
            i = b - 1;
        }
        return joint;
    }

    /// <summary>As <see cref="Label"/> for a compiled cascade with no constraints, returning how many characters the
    /// joint model decided.</summary>
    internal int LabelCounting(ReadOnlySpan<char> chars, Span<int> labels, Workspace ws) =>
        Screen?._kernel is { } screen && _jointKernel is not null
            ? chars.IsEmpty ? 0 : Cascade(screen, chars, default, labels[..chars.Length], ws)
            : throw new InvalidOperationException("not a compiled cascade of a screen and a joint model");

    /// <summary>Labels <paramref name="chars"/> (normalized) with the model's own labels: a joint model's carry the word class.</summary>
    internal void Decode(ReadOnlySpan<char> chars, ReadOnlySpan<ulong> allowed, Span<int> labels, Workspace ws)
    {
        int n = chars.Length;
        if (n == 0) return;
        if (_jointKernel is not null)
        {
            _jointKernel.Label(chars, allowed, labels[..n], ws);
            return;
        }
        ReadOnlySpan<LexiconMatch> matches = default;
        if (Lexicon is not null)
        {
            Workspace.Ensure(ref ws.Lexicon, n);
            Lexicon.Match(chars, ws.Lexicon);
            matches = ws.Lexicon.AsSpan(0, n);
        }
        var emissions = ws.EmissionsFor(n * Model.Labels.Count);
        var keys = ws.KeysFor(n * CharFeatures.Count);
        CharFeatures.Extract(chars, matches, keys, _lexiconClasses);
        if (_joint is null)
        {
            ws.ScoreAndDecode(Model, keys, CharFeatures.Count, emissions, labels[..n], allowed);
            return;
        }
        ws.AddScores(Model, keys, CharFeatures.Count, emissions);
        _joint.Decode(Model.EffectiveTransitions, emissions, n, labels[..n], allowed);
    }
}
