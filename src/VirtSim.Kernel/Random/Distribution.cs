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

    /// <summary>
    /// The gaps between arrivals of an on/off source (an interrupted Poisson process): while on,
    /// requests arrive as a Poisson process of <paramref name="Rate"/>; on and off periods are
    /// exponential with means <paramref name="MeanOn"/> and <paramref name="MeanOff"/>; nothing
    /// arrives while off. Its gaps are independent and hyperexponential (Kuczura, "The
    /// interrupted Poisson process as an overflow process", Bell System Technical Journal 52(3),
    /// 1973), so the process is sampled as a renewal process of two exponential phases: rates
    /// μ1,2 = ((λ + ω + γ) ± √((λ + ω + γ)² − 4λγ)) / 2, the first with probability
    /// (λ − μ2) / (μ1 − μ2), where λ is the rate, ω = 1 / mean on and γ = 1 / mean off.
    /// </summary>
    public sealed record OnOff(double Rate, double MeanOn, double MeanOff) : Distribution
    {
        /// <summary>The faster phase's rate μ1, per second.</summary>
        public double FastRate => (Sum + Root) / 2;

        /// <summary>The slower phase's rate μ2, per second.</summary>
        public double SlowRate => (Sum - Root) / 2;

        /// <summary>The probability of a gap from the faster phase.</summary>
        public double FastProbability => (Rate - SlowRate) / (FastRate - SlowRate);

        private double Sum => Rate + 1 / MeanOn + 1 / MeanOff;

        private double Root => Math.Sqrt(Sum * Sum - 4 * Rate / MeanOff);

        /// <summary>The long-run arrival rate: the on rate times the share of time on.</summary>
        public double AverageRate => Rate * MeanOn / (MeanOn + MeanOff);

        /// <inheritdoc />
        public override double Mean => 1 / AverageRate;

        /// <inheritdoc />
        public override double SquaredCoefficientOfVariation
        {
            get
            {
                double p = FastProbability, fast = FastRate, slow = SlowRate;
                double secondMoment = 2 * p / (fast * fast) + 2 * (1 - p) / (slow * slow);
                return secondMoment / (Mean * Mean) - 1;
            }
        }

        /// <summary>The probability that a gap exceeds <paramref name="seconds"/>.</summary>
        public double Survival(double seconds) =>
            FastProbability * Math.Exp(-FastRate * seconds) + (1 - FastProbability) * Math.Exp(-SlowRate * seconds);

        /// <inheritdoc />
        public override Sampler Bind(RandomStream stream) => new TwoPhaseSampler(stream, FastProbability, FastRate, SlowRate);
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

internal sealed class TwoPhaseSampler(RandomStream stream, double firstProbability, double firstRate, double secondRate) : Sampler
{
    public override double Sample()
    {
        double rate = stream.NextDouble() < firstProbability ? firstRate : secondRate;
        return -Math.Log(1 - stream.NextDouble()) / rate;
    }
}
