// Computes Fiedler vectors. Small graphs use a dense symmetric eigensolver (exact and fast below
// ~64 vertices). Larger ones use Spectra's Lanczos solver on one of two operators, both
// restricted by P (the projection orthogonal to the all-ones vector, the Laplacian's eigenvector
// of eigenvalue 0) so that a single eigenpair is wanted:
//  - plain, P (c I - L) P with c >= lambda_max, largest eigenvalue c - lambda_2: only sparse
//    products, and fast when lambda_2 is well separated from lambda_3 relative to lambda_max,
//    as in the expander-like graphs of random circuits (1000 qubits, 4000 random gates: ~90
//    products, 3 ms);
//  - shift-invert, P (L + delta I)^-1 P, largest eigenvalue 1 / (lambda_2 + delta): converges in
//    a few dozen solves when that separation is poor (long chains, grids: 1000-qubit chain 1 ms,
//    where plain Lanczos needs 80-220 ms), but needs a sparse Cholesky (LDL^T) factorisation,
//    whose fill-in explodes on expanders (the random graph above: 21 ms; 3000 qubits: 700 ms).
// So plain Lanczos runs first with a small budget, and shift-invert only if it does not converge:
// graphs with poor separation are the ones that factorise cheaply.
#include "partition/fiedler.h"

#include <Spectra/SymEigsSolver.h>

#include <Eigen/Dense>
#include <Eigen/SparseCholesky>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>

namespace qontos::partition {
namespace {

// Dense fallback limit when Spectra fails: an n x n dense matrix costs 8 n^2 bytes and O(n^3).
constexpr int kDenseFallbackMax = 4096;
constexpr double kRelativeShift = 1e-7;  // delta relative to the largest weighted degree
constexpr int kLanczosVectors = 20;
constexpr int kLanczosMaxRestarts = 1000;
// Plain Lanczos gets ~400 products (19 per restart) before shift-invert takes over.
constexpr int kPlainMaxRestarts = 20;
constexpr double kLanczosTolerance = 1e-10;

using SparseMatrix = Eigen::SparseMatrix<double>;

/// y = P (L + delta I)^-1 P x, for Spectra.
class ProjectedShiftInverse {
 public:
  using Scalar = double;
  explicit ProjectedShiftInverse(const Eigen::SimplicialLDLT<SparseMatrix>& ldlt, Eigen::Index n)
      : ldlt_(ldlt), n_(n), tmp_(n) {}
  Eigen::Index rows() const { return n_; }
  Eigen::Index cols() const { return n_; }
  void perform_op(const double* x_in, double* y_out) const {
    Eigen::Map<const Eigen::VectorXd> x(x_in, n_);
    Eigen::Map<Eigen::VectorXd> y(y_out, n_);
    tmp_ = x.array() - x.mean();
    y = ldlt_.solve(tmp_);
    y.array() -= y.mean();
  }

 private:
  const Eigen::SimplicialLDLT<SparseMatrix>& ldlt_;
  Eigen::Index n_;
  mutable Eigen::VectorXd tmp_;
};

/// y = P (c I - L) P x, for Spectra.
class ProjectedReflected {
 public:
  using Scalar = double;
  ProjectedReflected(const SparseMatrix& laplacian, double c) : lap_(laplacian), c_(c), tmp_(laplacian.rows()) {}
  Eigen::Index rows() const { return lap_.rows(); }
  Eigen::Index cols() const { return lap_.rows(); }
  void perform_op(const double* x_in, double* y_out) const {
    Eigen::Map<const Eigen::VectorXd> x(x_in, lap_.rows());
    Eigen::Map<Eigen::VectorXd> y(y_out, lap_.rows());
    tmp_ = x.array() - x.mean();
    y = c_ * tmp_ - lap_ * tmp_;
    y.array() -= y.mean();
  }

 private:
  const SparseMatrix& lap_;
  double c_;
  mutable Eigen::VectorXd tmp_;
};

/// The top eigenvector of `op` by Lanczos from a fixed start, or an empty vector.
template <typename Op>
Eigen::VectorXd top_eigenvector(Op& op, Eigen::Index n, int max_restarts) {
  Spectra::SymEigsSolver<Op> eigs(op, 1, std::min<Eigen::Index>(n, kLanczosVectors));
  // A fixed pseudo-random start (splitmix64 of the index) keeps the result identical run to run;
  // random rather than smooth so that it is not close to orthogonal to the Fiedler vector.
  Eigen::VectorXd start(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    std::uint64_t z = static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ULL + 0x51A7E5EEDULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    start(i) = static_cast<double>(z >> 11) * 0x1.0p-53 - 0.5;
  }
  start.array() -= start.mean();
  eigs.init(start.data());
  eigs.compute(Spectra::SortRule::LargestAlge, max_restarts, kLanczosTolerance);
  if (eigs.info() != Spectra::CompInfo::Successful) return {};
  return eigs.eigenvectors().col(0);
}

/// Global vertex -> its position in `vertices`, or -1. An array rather than a binary search,
/// because the lookup sits in the innermost loops.
class LocalIndex {
 public:
  LocalIndex(const InteractionGraph& g, const std::vector<int>& vertices)
      : of_(static_cast<std::size_t>(g.num_vertices), -1) {
    for (std::size_t i = 0; i < vertices.size(); ++i) of_[static_cast<std::size_t>(vertices[i])] = static_cast<int>(i);
  }
  int operator()(int v) const { return of_[static_cast<std::size_t>(v)]; }

 private:
  std::vector<int> of_;
};

/// Calls f(i, j, w) for every edge of the induced subgraph in both directions (local indices).
template <typename F>
void for_each_local_edge(const InteractionGraph& g, const std::vector<int>& vertices, const LocalIndex& local, F&& f) {
  for (std::size_t i = 0; i < vertices.size(); ++i) {
    const auto v = static_cast<std::size_t>(vertices[i]);
    for (auto e = static_cast<std::size_t>(g.offsets[v]); e < static_cast<std::size_t>(g.offsets[v + 1]); ++e)
      if (const int j = local(g.neighbours[e]); j >= 0)
        f(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j), static_cast<double>(g.weights[e]));
  }
}

Eigen::VectorXd dense_fiedler(const InteractionGraph& g, const std::vector<int>& vertices, const LocalIndex& local) {
  const auto n = static_cast<Eigen::Index>(vertices.size());
  Eigen::MatrixXd lap = Eigen::MatrixXd::Zero(n, n);
  for_each_local_edge(g, vertices, local, [&](Eigen::Index i, Eigen::Index j, double w) {
    lap(i, j) -= w;
    lap(i, i) += w;
  });
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(lap);
  if (es.info() != Eigen::Success) throw std::runtime_error("partition: dense eigensolver failed");
  return es.eigenvectors().col(1);  // eigenvalues ascending: column 0 is the constant vector
}

/// Spectra's answer, or an empty vector when the operators tried fail.
Eigen::VectorXd spectra_fiedler(const InteractionGraph& g, const std::vector<int>& vertices, const LocalIndex& local,
                                EigenSolver solver) {
  const auto n = static_cast<Eigen::Index>(vertices.size());
  std::vector<Eigen::Triplet<double>> triplets;
  Eigen::VectorXd degree = Eigen::VectorXd::Zero(n);
  for_each_local_edge(g, vertices, local, [&](Eigen::Index i, Eigen::Index j, double w) {
    triplets.emplace_back(i, j, -w);
    degree(i) += w;
  });
  const double max_degree = std::max(1.0, degree.maxCoeff());
  for (Eigen::Index i = 0; i < n; ++i) triplets.emplace_back(i, i, degree(i));
  SparseMatrix lap(n, n);
  lap.setFromTriplets(triplets.begin(), triplets.end());
  auto shift_invert = [&]() -> Eigen::VectorXd {
    SparseMatrix shifted = lap;
    shifted.diagonal().array() += kRelativeShift * max_degree;
    const Eigen::SimplicialLDLT<SparseMatrix> ldlt(shifted);
    if (ldlt.info() != Eigen::Success) return {};
    ProjectedShiftInverse op(ldlt, n);
    return top_eigenvector(op, n, kLanczosMaxRestarts);
  };
  auto plain = [&](int max_restarts) {
    ProjectedReflected op(lap, 2 * max_degree);  // Gershgorin: lambda_max <= 2 max degree
    return top_eigenvector(op, n, max_restarts);
  };
  if (solver == EigenSolver::kSpectraShiftInvert) return shift_invert();
  if (solver == EigenSolver::kSpectraPlain) return plain(kLanczosMaxRestarts);
  if (Eigen::VectorXd v = plain(kPlainMaxRestarts); v.size()) return v;
  return shift_invert();
}

/// Last resort for huge graphs on which Spectra failed: breadth-first distance from the first
/// vertex, which orders vertices along the graph much as the Fiedler vector does on paths.
Eigen::VectorXd bfs_ramp(const InteractionGraph& g, const std::vector<int>& vertices, const LocalIndex& local) {
  const auto n = static_cast<Eigen::Index>(vertices.size());
  Eigen::VectorXd dist = Eigen::VectorXd::Constant(n, -1);
  std::vector<Eigen::Index> queue{0};
  dist(0) = 0;
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const Eigen::Index i = queue[head];
    const auto v = static_cast<std::size_t>(vertices[static_cast<std::size_t>(i)]);
    for (auto e = static_cast<std::size_t>(g.offsets[v]); e < static_cast<std::size_t>(g.offsets[v + 1]); ++e)
      if (const int j = local(g.neighbours[e]); j >= 0 && dist(j) < 0) {
        dist(j) = dist(i) + 1;
        queue.push_back(j);
      }
  }
  dist.array() -= dist.mean();
  return dist;
}

}  // namespace

std::vector<double> fiedler_vector(const InteractionGraph& g, const std::vector<int>& vertices, EigenSolver solver) {
  if (vertices.size() < 2) throw std::invalid_argument("fiedler_vector: needs at least 2 vertices");
  const int n = static_cast<int>(vertices.size());
  const LocalIndex local(g, vertices);
  Eigen::VectorXd v;
  if (n >= 3 && solver != EigenSolver::kDense && (solver != EigenSolver::kAuto || n >= kDenseBelow))
    v = spectra_fiedler(g, vertices, local, solver == EigenSolver::kAuto ? EigenSolver::kSpectra : solver);
  if (v.size() == 0) v = n <= kDenseFallbackMax ? dense_fiedler(g, vertices, local) : bfs_ramp(g, vertices, local);

  // Canonical form: unit norm, the first clearly non-zero entry negative, values on a 1e-9 grid.
  v.normalize();
  const double big = v.cwiseAbs().maxCoeff();
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (std::abs(v(i)) > 1e-6 * big) {
      if (v(i) > 0) v = -v;
      break;
    }
  std::vector<double> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = std::round(v(i) * 1e9) / 1e9;
  return out;
}

std::vector<int> fiedler_order(const InteractionGraph& g, const std::vector<int>& vertices, EigenSolver solver) {
  if (vertices.size() < 2) return vertices;
  const std::vector<double> f = fiedler_vector(g, vertices, solver);
  std::vector<std::size_t> idx(vertices.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  // `vertices` is sorted, so a stable sort breaks ties by vertex index.
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return f[a] < f[b]; });
  std::vector<int> out;
  out.reserve(vertices.size());
  for (std::size_t i : idx) out.push_back(vertices[i]);
  return out;
}

}  // namespace qontos::partition
