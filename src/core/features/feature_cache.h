// Text features of a study's queries, built once and shared by every router of a run:
// the tokens once per study, each feature matrix once per (training rows, feature
// kind, width, seed). Every matrix has one l2-normalised row per query of the study,
// fitted on the training rows only and applied to all. Safe to share between threads
// (the routers table trains its routers side by side): each thing is built once, by
// the first thread to ask, while the others wanting it wait.
#pragma once
#include "core/features/feature_kind.h"
#include "core/features/sparse.h"
#include "core/features/tfidf.h"
#include "core/features/tokenizer.h"
#include "core/study/study.h"

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace headroom {

// What a router reads of a query: its text and, for multiple choice, the options,
// since the model sees them too.
std::string query_document(const query& q);

class feature_cache {
public:
    // Keeps a reference to s; nothing is computed until features are asked for.
    explicit feature_cache(const study& s) : s_(s) {}

    const csr_matrix& features(feature_kind kind, std::span<const std::uint32_t> train, const feature_options& options,
                               std::uint64_t seed);
    const tokenized_corpus& corpus();

    // Something computed from one of these matrices without labels (a clustering, the
    // nearest neighbours), kept so that training on each protocol's labels computes it
    // once. key holds everything it depends on besides the matrix, a tag naming the
    // kind of result (and so T) first.
    template <class T, class Build>
    const T& derived(const csr_matrix& x, std::vector<std::uint64_t> key, Build build) {
        derived_entry& d = find_or_add_derived(x, std::move(key));
        once(d.built, d.error, [&] { d.value = std::make_shared<T>(build()); });
        return *static_cast<const T*>(d.value.get());
    }
    // The given rows of x grouped by identical content (sparse.h), kept like the above:
    // routers fit a group as one weighted row, and the logistic routers, kmeans and
    // every protocol's labels share one grouping of the training rows.
    const row_groups& identical_rows(const csr_matrix& x, std::span<const std::uint32_t> rows);
    // How many feature matrices were built (not found in the cache): for tests.
    std::size_t builds() const { return builds_; }

private:
    struct entry {
        feature_kind kind;
        std::vector<std::uint32_t> train;
        int width;            // hashing bits, LSA dimensions; 0 for TF-IDF
        std::uint64_t seed;   // LSA only; 0 otherwise
        std::once_flag built;
        std::exception_ptr error;
        csr_matrix x;
    };
    struct derived_entry {
        const csr_matrix* x;
        std::vector<std::uint64_t> key;
        std::once_flag built;
        std::exception_ptr error;
        std::shared_ptr<const void> value;
    };
    const csr_matrix& tfidf(std::span<const std::uint32_t> train);
    // Runs build once per flag. A build that throws fails for good: its exception is
    // kept and rethrown to every caller, and never crosses std::call_once, whose flag
    // libstdc++ leaves locked after a throw (GCC bug 66146), so the next caller would hang.
    template <class Build>
    static void once(std::once_flag& flag, std::exception_ptr& error, Build build) {
        std::call_once(flag, [&] {
            try {
                build();
            } catch (...) {
                error = std::current_exception();
            }
        });
        if (error) std::rethrow_exception(error);
    }
    // The entry of that key, added unbuilt when new; the lookups alone hold the lock,
    // so building one thing (which may ask for another) blocks nobody else.
    derived_entry& find_or_add_derived(const csr_matrix& x, std::vector<std::uint64_t> key);

    const study& s_;
    std::once_flag tokenized_;
    std::exception_ptr tokenize_error_;
    tokenized_corpus corpus_;

    std::mutex lookup_;
    std::vector<std::unique_ptr<entry>> entries_;  // few: one per split and kind
    std::vector<std::unique_ptr<derived_entry>> derived_;
    std::atomic<std::size_t> builds_ = 0;
};

} // namespace headroom
