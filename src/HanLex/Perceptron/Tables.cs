namespace HanLex.Perceptron;

/// <summary>Large tables that loading fills in scattered order.</summary>
internal static class Tables
{
    /// <summary>
    /// A zeroed array whose memory has been written once, in order. A fresh page that is read first maps the shared
    /// zero page, and its first write then costs a second fault and a TLB flush on every core: scattered inserts into
    /// a new hash table hit that on almost every page, a third of the model load time before this.
    /// </summary>
    public static T[] Zeroed<T>(int length)
    {
        var array = new T[length];
        array.AsSpan().Clear();
        return array;
    }
}
