using System;
using System.Diagnostics;
using System.Globalization;

namespace CompiledNets.OnnxComparison;

/// <summary>One side's medians: a single image, and a batch of <see cref="BatchSize"/>.</summary>
internal sealed record InferenceTiming(string Side, double SingleMicroseconds, double BatchMilliseconds)
{
    public const int BatchSize = 256;

    /// <summary>The line side-by-side-inference.sh parses: the side, then µs per image, then ms per batch.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Side} {SingleMicroseconds:0.00} us {BatchMilliseconds:0.000} ms");

    /// <summary>
    /// Median over <paramref name="blocks"/> blocks of the mean time of one call in a block of
    /// <paramref name="callsPerBlock"/>, in microseconds, after as many warm-up calls as one block plus a pause:
    /// tiered compilation promotes hot methods in the background after 100 quiet milliseconds.
    /// </summary>
    public static double MedianMicroseconds(Action call, int callsPerBlock, int blocks = 31)
    {
        for (int warmUp = 0; warmUp < 3; warmUp++)
        {
            for (int i = 0; i < callsPerBlock; i++) call();
            System.Threading.Thread.Sleep(200);
        }
        var means = new double[blocks];
        for (int block = 0; block < blocks; block++)
        {
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < callsPerBlock; i++) call();
            means[block] = Stopwatch.GetElapsedTime(started).TotalMicroseconds / callsPerBlock;
        }
        Array.Sort(means);
        return means[blocks / 2];
    }
}
