using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HanLex.Perceptron;

/// <summary>Large tables that loading fills in scattered order and scoring reads at random.</summary>
internal static partial class Tables
{
    /// <summary>Below this size a table is an ordinary array: too small to be worth a 2 MB page.</summary>
    private const long HugePageFrom = 256 << 10;

    private const nint HugePage = 2 << 20;

    /// <summary>
    /// Asks the CPU to start loading every cache line of <paramref name="count"/> elements from <paramref name="first"/>.
    /// A prefetch never faults, so an address made stale by the GC moving an array does no harm.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void PrefetchLines<T>(ref T first, int count) where T : unmanaged
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        nint line = (nint)Unsafe.AsPointer(ref first) & ~63, last = (nint)Unsafe.AsPointer(ref Unsafe.Add(ref first, count - 1));
        for (; line <= last; line += 64) System.Runtime.Intrinsics.X86.Sse.Prefetch0((void*)line);
    }

    /// <summary>
    /// A zeroed array whose memory has been written once, in order. A fresh page that is read first maps the shared
    /// zero page, and its first write then costs a second fault and a TLB flush on every core: scattered inserts into
    /// a new hash table hit that on almost every page, a third of the model load time before this.
    /// <para>
    /// On Linux a large table is pinned and asks for 2 MB pages (transparent huge pages; their common default,
    /// "madvise", grants them to memory that asks) before that first write. The three models' hot tables are about
    /// 37 MB: 9,500 pages of 4 KB, more than the cores' TLBs hold, so a lookup that missed the cache often waited for
    /// a page walk as well (docs/performance.md). The advice covers the 2 MB pages the table overlaps, so their ends
    /// may also hold neighbours on the pinned heap, the other model tables; it changes no memory's contents.
    /// </para>
    /// </summary>
    public static T[] Zeroed<T>(int length) where T : unmanaged
    {
        long bytes = length * (long)Unsafe.SizeOf<T>();
        if (bytes < HugePageFrom || !OperatingSystem.IsLinux())
        {
            var array = new T[length];
            array.AsSpan().Clear();
            return array;
        }
        var pinned = GC.AllocateUninitializedArray<T>(length, pinned: true);
        AdviseHugePages(ref MemoryMarshal.GetArrayDataReference(pinned), bytes);
        pinned.AsSpan().Clear();
        return pinned;
    }

    /// <summary>
    /// A zeroed table, pinned, whose element <paramref name="first"/> starts a 64-byte cache line: a table read a line
    /// at a time keeps its lines where they are.
    /// </summary>
    public static unsafe T[] ZeroedAligned<T>(int length, out int first) where T : unmanaged
    {
        const int Line = 64;
        int size = Unsafe.SizeOf<T>(), padded = length + Line / size;
        // A large one as Zeroed makes it (pinned, on 2 MB pages); a small one pinned too, so that it stays aligned.
        var table = padded * (long)size >= HugePageFrom && OperatingSystem.IsLinux() ? Zeroed<T>(padded) : GC.AllocateArray<T>(padded, pinned: true);
        nint at = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(table));
        first = (int)((-at & (Line - 1)) / size);
        return table;
    }

    private static unsafe void AdviseHugePages<T>(ref T start, long bytes)
    {
        nint at = (nint)Unsafe.AsPointer(ref start); // pinned: the address stays
        nint from = at & ~(HugePage - 1), to = (at + (nint)bytes + HugePage - 1) & ~(HugePage - 1);
        try
        {
            // A failure (no such advice on an old kernel, huge pages switched off) leaves ordinary pages: same table.
            _ = Madvise(from, (nuint)(to - from), MadviseHugePage);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    private const int MadviseHugePage = 14; // MADV_HUGEPAGE

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
