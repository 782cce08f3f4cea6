using System;

namespace CompiledNets;

/// <summary>
/// Marks a <c>partial class</c> whose layer attributes the CompiledNets source generator turns into
/// shape-specialized forward and backward passes. Layers are applied in source order.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CompiledNetworkAttribute : Attribute
{
}
