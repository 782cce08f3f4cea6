using System;
using System.Runtime.CompilerServices;

namespace CompiledNets;

/// <summary>
/// A small, fast, seedable generator (SplitMix64) whose sequence is fixed forever, unlike
/// <see cref="Random"/>'s, so parameters, shuffles and dropout masks are repeatable across .NET versions.
/// </summary>
public struct SeededRandom
{
    private ulong _state;

    /// <summary>A generator whose sequence depends only on <paramref name="seed"/> and <paramref name="stream"/>.</summary>
    public SeededRandom(long seed, long stream = 0)
    {
        _state = (ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xD1B54A32D192ED03UL;
        NextUInt64();
    }

    /// <summary>64 uniformly distributed bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A float uniformly distributed in [0, 1), using the top 24 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>An integer uniformly distributed in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt32(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "must be positive");
        // Lemire's multiply-shift: the high half of x * range is uniform once the biased low products are rejected.
        uint range = (uint)maxExclusive;
        ulong product = (NextUInt64() >> 32) * range;
        if ((uint)product < range)
        {
            uint threshold = (0u - range) % range;
            while ((uint)product < threshold)
            {
                product = (NextUInt64() >> 32) * range;
            }
        }
        return (int)(product >> 32);
    }
}
