// The routers that learn from query text: each reads the training rows' features and
// labels and returns confidences for the test rows. run_router calls them only with
// training rows and models (without, it falls back to best-single, which then knows
// nothing either). k-means is in kmeans.h.
#pragma once
#include "core/routing/router.h"

namespace headroom {

// classifier_routers.cpp: one logistic regression per model (probabilities, calibrated
// by the log loss unless class weights are on); a joint softmax over models whose
// per-model probabilities are calibrated by Platt scaling on the training rows; and
// P2's controls, the logistic router on seeded random features of the same width and
// row sparsity, and on training label rows shuffled across queries.
confidence_matrix route_logistic(const routing_task& task, const router_options& options, feature_cache& features);
confidence_matrix route_softmax(const routing_task& task, const router_options& options, feature_cache& features);
confidence_matrix route_random_features(const routing_task& task, const router_options& options, feature_cache& features);
confidence_matrix route_shuffled_labels(const routing_task& task, const router_options& options, feature_cache& features);

// knn.cpp: the mean labels of the most cosine-similar training queries (neighbours.h:
// over the terms in at most 5% of the training queries on large studies, exact over
// dense vectors).
confidence_matrix route_knn(const routing_task& task, const router_options& options, feature_cache& features);

// factorisation.cpp: P(m solves q) = logistic(v_m . (A e_q) + b_m), e_q the query's LSA
// embedding, A and the model embeddings v_m learned jointly (RouteLLM's MF, EmbedLLM).
confidence_matrix route_matrix_factorisation(const routing_task& task, const router_options& options,
                                             feature_cache& features);

} // namespace headroom
