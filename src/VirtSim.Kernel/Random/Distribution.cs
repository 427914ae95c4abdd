using MathNet.Numerics.Distributions;

namespace VirtSim.Kernel.Random;

/// <summary>
/// A non-negative continuous distribution as a scenario describes it (service times,
/// inter-arrival times, sizes). <see cref="Bind"/> ties it to a random stream for sampling;
/// the sampling itself is MathNet's.
/// </summary>
public abstract record Distribution
{
    /// <summary>The mean of the distribution.</summary>
    public abstract double Mean { get; }

    /// <summary>The squared coefficient of variation, variance / mean².</summary>
    public abstract double SquaredCoefficientOfVariation { get; }

    /// <summary>A sampler that draws from <paramref name="stream"/>.</summary>
    public abstract Sampler Bind(RandomStream stream);

    /// <summary>Exponential with the given mean.</summary>
    public sealed record Exponential(double MeanValue) : Distribution
    {
        /// <inheritdoc />
        public override double Mean => MeanValue;
        /// <inheritdoc />
        public override double SquaredCoefficientOfVariation => 1;
        /// <inheritdoc />
        public override Sampler Bind(RandomStream stream) =>
            new ContinuousSampler(new MathNet.Numerics.Distributions.Exponential(1 / MeanValue, stream));
    }

    /// <summary>Always the same value.</summary>
    public sealed record Deterministic(double Value) : Distribution
    {
        /// <inheritdoc />
        public override double Mean => Value;
        /// <inheritdoc />
        public override double SquaredCoefficientOfVariation => 0;
        /// <inheritdoc />
        public override Sampler Bind(RandomStream stream) => new ConstantSampler(Value);
    }

    /// <summary>Erlang with <paramref name="Shape"/> phases and the given mean.</summary>
    public sealed record Erlang(int Shape, double MeanValue) : Distribution
    {
        /// <inheritdoc />
        public override double Mean => MeanValue;
        /// <inheritdoc />
        public override double SquaredCoefficientOfVariation => 1.0 / Shape;
        /// <inheritdoc />
        public override Sampler Bind(RandomStream stream) =>
            new ContinuousSampler(new MathNet.Numerics.Distributions.Erlang(Shape, Shape / MeanValue, stream));
    }

    /// <summary>Uniform between <paramref name="Min"/> and <paramref name="Max"/>.</summary>
    public sealed record Uniform(double Min, double Max) : Distribution
    {
        /// <inheritdoc />
        public override double Mean => (Min + Max) / 2;
        /// <inheritdoc />
        public override double SquaredCoefficientOfVariation =>
            Mean == 0 ? 0 : (Max - Min) * (Max - Min) / 12 / (Mean * Mean);
        /// <inheritdoc />
        public override Sampler Bind(RandomStream stream) =>
            new ContinuousSampler(new ContinuousUniform(Min, Max, stream));
    }

    /// <summary>Log-normal with the given mean and standard deviation (of the value, not of its logarithm).</summary>
    public sealed record LogNormal(double MeanValue, double StandardDeviation) : Distribution
    {
        /// <inheritdoc />
        public override double Mean => MeanValue;
        /// <inheritdoc />
        public override double SquaredCoefficientOfVariation =>
            StandardDeviation * StandardDeviation / (MeanValue * MeanValue);
        /// <inheritdoc />
        public override Sampler Bind(RandomStream stream)
        {
            double sigma2 = Math.Log(1 + SquaredCoefficientOfVariation);
            double mu = Math.Log(MeanValue) - sigma2 / 2;
            return new ContinuousSampler(new MathNet.Numerics.Distributions.LogNormal(mu, Math.Sqrt(sigma2), stream));
        }
    }
}

/// <summary>Draws values of a <see cref="Distribution"/> from one random stream.</summary>
public abstract class Sampler
{
    /// <summary>The next value.</summary>
    public abstract double Sample();
}

internal sealed class ContinuousSampler(IContinuousDistribution distribution) : Sampler
{
    public override double Sample() => distribution.Sample();
}

internal sealed class ConstantSampler(double value) : Sampler
{
    public override double Sample() => value;
}
