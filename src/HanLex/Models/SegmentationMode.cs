namespace HanLex.Models;

/// <summary>How a model directory with a screen (<c>screen.hlm</c>, see <see cref="Tagging.Segmenter.Screen"/>) segments.</summary>
public enum SegmentationMode
{
    /// <summary>The cascade: the six-label screen everywhere, the joint model where the screen is unsure. On the pd98
    /// split: F1 97.02.</summary>
    Accurate,

    /// <summary>The six-label screen alone; the joint model is not even read. About 2.5 times the speed of
    /// <see cref="Accurate"/> on text unlike People's Daily, for F1 96.63 instead of 97.02 on the pd98 split. A model
    /// without a screen segments the same either way.</summary>
    Fast,
}
