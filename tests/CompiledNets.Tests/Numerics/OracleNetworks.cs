using System;
using System.Collections.Generic;
using CompiledNets;
using Xunit;

namespace CompiledNets.Tests.Numerics;

/// <summary>
/// The PyTorch oracle's configurations (folders of Oracle/) and the generated network declared for each.
/// The padding and pooling configurations live in PaddingAndPoolingOracleNetworks.cs and join through
/// <see cref="AddPaddingAndPoolingNetworks"/>.
/// </summary>
internal static partial class OracleNetworks
{
    private static readonly List<(string Configuration, Func<ICompiledNetwork> Create)> Networks = All();

    /// <summary>Every configuration with a network, one theory case each, so a failure names its configuration.</summary>
    public static TheoryData<string> Configurations
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var (configuration, _) in Networks) data.Add(configuration);
            return data;
        }
    }

    public static ICompiledNetwork Create(string configuration)
    {
        foreach (var (name, create) in Networks)
        {
            if (name == configuration) return create();
        }
        throw new ArgumentOutOfRangeException(nameof(configuration), configuration, "no network is declared for this oracle configuration");
    }

    private static List<(string, Func<ICompiledNetwork>)> All()
    {
        var networks = new List<(string, Func<ICompiledNetwork>)>
        {
            ("seed", () => new SeedNet()),
            ("conv_stride2", () => new ConvStride2Net()),
            ("rgb32_twoconv", () => new Rgb32TwoConvNet()),
            ("nonsquare", () => new NonSquareNet()),
            ("mlp", () => new MlpNet()),
        };
        AddPaddingAndPoolingNetworks(networks);
        return networks;
    }

    // A partial method without a body compiles to nothing, so the pending networks need no second #if here.
    static partial void AddPaddingAndPoolingNetworks(List<(string, Func<ICompiledNetwork>)> networks);
}
