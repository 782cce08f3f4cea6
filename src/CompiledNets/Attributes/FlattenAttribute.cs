using System;

namespace CompiledNets;

/// <summary>Turns a (height, width, channels) tensor into a vector, in (h, w, c) order.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : Attribute
{
}
