// Everything the app knows: the loaded study, its index, the headroom report of each
// protocol seen so far, and the slower results (labels, bootstrap intervals, noise
// nulls, the decomposition, router runs) that background work fills in a slice per
// frame (work.cpp). Panels mostly read this; the functions below change it.
// The GUI is a function of this state (STYLE.md).
#pragma once
#include "app/ui/router_options.h"
#include "core/analysis/decomposition_report.h"
#include "core/analysis/report.h"
#include "core/features/feature_cache.h"
#include "core/labels/labels.h"
#include "core/labels/protocol.h"
#include "core/routing/evaluate.h"
#include "core/sim/regenerate.h"
#include "core/stats/summary_intervals.h"
#include "core/study/study.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

enum class LoadStatus { Fetching, Ready, Failed };

// How long "Link copied" stays after the Copy link button, in seconds.
inline constexpr double copied_note_seconds = 2.5;

// A clickable widget's rectangle in canvas pixels, published so a test can click it.
struct ClickTarget {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool operator==(const ClickTarget&) const = default;
};

// The tabs of the right-hand column, in order; each is one row of tabs.cpp's table,
// which gives their names (in the URL) and panels.
enum class Tab { Headroom, Decomposition, Claims, Queries, Routers, Count };
const char* TabName(Tab tab);
std::optional<Tab> ParseTab(const std::string& name);

// The slower results for one protocol, filled in by background work.
struct ProtocolDetail {
    std::optional<headroom::label_matrix> labels;
    std::vector<headroom::summary_bootstrap> bootstraps;       // one per report section
    std::vector<headroom::summary_intervals> intervals;        // filled when every bootstrap is done
    std::vector<headroom::noise_null> noise;                   // one per section, in section order
};

// The decomposition of naive -> corrected, built by the core's analysis_builder a step
// per slice with decomposition_resamples, so it is exactly what `headroom decompose
// --resamples <resamples> --json` prints.
struct DecompositionWork {
    std::optional<headroom::analysis_builder> builder;  // made by the first slice

    // The sections complete so far, in report order; how many there will be (0 before
    // the first slice); the protocol grid once made.
    const std::vector<headroom::analysis_section>& Sections() const;
    std::size_t Planned() const { return builder ? builder->sections_planned() : 0; }
    bool Done() const { return builder && builder->done(); }
    const headroom::protocol_grid* Grid() const { return builder ? builder->grid() : nullptr; }
};

// The labels a learned router trains on; it is always tested on the shown protocol's,
// so training on naive labels and testing on corrected ones shows P2's label-noise cost.
enum class TrainLabels { Naive, Corrected, Shown };
const char* TrainLabelsName(TrainLabels t);  // "naive", "corrected", "shown"

// One learned router trained and evaluated exactly as `headroom route` does it (the
// CLI's split and seed, every standard policy, the cost-quality and strong-weak sweeps).
struct RouterRun {
    headroom::route_report report;
    double ms = 0;      // training and evaluation time in this browser
    bool in_worker = false;  // trained by the trainer worker (then ms is its training time)
    std::string error;  // why the run failed (then the report is empty), in words
};

struct RouterRequest {
    std::string key;
    headroom::router_kind router;
    headroom::feature_kind features;
    headroom::protocol train, test;
};

// Per-query flags the inspector filters by, computed once per study (or budget).
struct QueryFlags {
    std::vector<char> disputed;                            // two judges disagree on some generation
    std::map<std::uint32_t, std::vector<char>> truncated;  // by budget: some generation hit it
};

// The selected query's generation texts and judges' replies, for the inspector: taken
// from the study, or rebuilt by the simulator when it was packed without them.
struct QueryTexts {
    std::uint32_t query = 0;
    bool rebuilt = false;
    std::map<std::uint32_t, std::string> text;  // by generation row
    std::map<std::pair<std::uint32_t, std::uint16_t>, std::string> reply;  // by generation row, judge (study.judgments.judges)
};

// The rule for drawing code: a panel never scans the study. Its generation columns hold
// up to 1.15 million rows (p1-routing), and one pass over them costs milliseconds, so a
// pass per frame is a frame lost. What panels need per frame is computed once per study
// (StudyFacts, at load), once per protocol (its report and detail) or once per budget
// (CostPerQuery), and kept here; panels only read it. AppState::study_scans counts the
// app's passes over the generations, and the smoke test checks that a drawn frame makes
// none.
struct StudyFacts {
    std::vector<std::uint32_t> budgets;  // distinct, ascending
    std::uint16_t samples_per_pair = 0;  // max sample index + 1
    std::vector<int> queries_per_benchmark;  // by study.benchmarks
};

// The shipped studies the picker offers (web/ serves them under precomputed/).
struct ShippedStudy {
    const char* name;
    const char* url;
    const char* summary;
};
std::span<const ShippedStudy> ShippedStudies();

// Everything made from one study: the study, its index and every cache and result
// computed from it, and the choices that name its rows. Loading another study replaces
// the whole session (ResetStudy), so nothing of the last one can survive by mistake.
// The study is declared first: the members after it refer to it, and ResetStudy drops
// an old session in reverse order, them before it.
struct StudySession {
    // study_index keeps a reference to its study, so both live on the heap and never move.
    std::unique_ptr<headroom::study> study;
    std::unique_ptr<headroom::study_index> index;
    LoadStatus status = LoadStatus::Fetching;
    std::string study_url;
    std::string error;  // why loading failed, in words
    double load_ms = 0; // unpack and index, plus the first report
    std::string baseline_split;  // the report's baseline routers' test split in words, once per study
    StudyFacts facts;
    // Mean cost of one query per model at a budget (labels/cost.h), by budget, made on first use.
    std::map<std::uint32_t, std::vector<double>> cost_per_query;
    headroom::protocol naive, corrected;

    headroom::protocol current;          // the protocol the controls show and the table reports
    std::string protocol_error;          // the last protocol refused, and why
    // Reports and details by describe(protocol): computed once, revisiting is free.
    std::map<std::string, headroom::protocol_report> reports;
    std::map<std::string, ProtocolDetail> details;
    const headroom::protocol_report* shown = nullptr;
    double compute_ms = 0;               // time of the last report computation
    DecompositionWork decomposition;

    // Router runs computed so far (by router, features and the two protocols, see
    // RouterRunFor), the runs this frame's panels asked for and that are not computed
    // yet (background work takes the first), those handed to the trainer worker and
    // not yet back, by key, and the query features they share (built on first use,
    // kept across protocols: they depend on the split only).
    std::map<std::string, RouterRun> router_runs;
    std::vector<RouterRequest> router_requests;
    std::map<std::string, RouterRequest> router_training;
    std::unique_ptr<headroom::feature_cache> feature_cache;

    // The choices that name this study's rows go with it.
    int selected_query = -1;             // row in study->queries, or -1
    std::size_t section = 0;             // report section shown by the charts: 0 = all, then benchmarks
    int query_benchmark = -1;            // the inspector's benchmark filter; -1: every benchmark
    QueryFlags query_flags;
    std::vector<std::uint32_t> query_rows;  // the inspector's filtered list, and the filters it was made with
    std::string query_rows_key;
    std::optional<QueryTexts> query_texts;  // of selected_query, once background work has them
    // Rebuilds texts a study was packed without (made on first use; refers to the study).
    std::unique_ptr<headroom::sim::text_regenerator> regenerator;
    std::string regenerate_error;        // why they cannot be rebuilt, in words
};

// What the reader chose to look at, kept across studies; the page keeps most of it in
// its address (page_bridge).
struct ViewState {
    Tab tab = Tab::Headroom;
    bool tab_from_url = false;          // select `tab` in the tab bar once (it was linked)
    std::string linked_query;            // a query id from the address, selected once the study loads
    double link_copied_at = -1;          // ImGui time of the last "Copy link", for its confirmation
    bool headroom_revealed = false;      // the guess-first gate of the Headroom tab
    float guess = 10.0f;                 // the reader's guess of the naive headroom, in points
    char query_search[128] = "";         // the inspector's text filter
    int query_filter = 0;                // index into the inspector's filter list
    // The Routers tab's choices.
    headroom::router_kind router = headroom::router_kind::logistic;
    headroom::feature_kind features = headroom::feature_kind::tfidf;
    TrainLabels train_labels = TrainLabels::Corrected;
    int router_policy = 0;               // index into the run's policies (standard_policies())
    int router_lambda = 4;               // index into evaluation_options::lambdas
    int router_tau = 5;                  // index into evaluation_options::taus
    std::string router_view_error;       // the parts of a linked router view that were not understood

    bool operator==(const ViewState&) const = default;
};

// What the page is told (page_bridge publishes it as window.headroom), in a form that
// compares. The frame loop publishes whenever it differs from what was published last,
// so no change has to remember to ask for it.
struct PageFacts {
    std::uint64_t load = 0;
    LoadStatus status = LoadStatus::Fetching;
    std::string error, protocol_error, regenerate_error;
    const headroom::protocol_report* shown = nullptr;
    ViewState view;
    int selected_query = -1;
    std::size_t section = 0;
    int query_benchmark = -1;
    bool query_texts = false;
    bool decomposition_done = false;
    std::size_t router_runs = 0, router_training = 0;
    bool working = false;                 // background work remains (tests wait for the end)
    std::string focused_target;           // the widget with keyboard focus (tests walk with keys)
    std::vector<std::string> target_names;  // a widget appeared or went: tests need its position

    bool operator==(const PageFacts&) const = default;
};

// The frame's exchanges with the platform (main.cpp, page_bridge.cpp), served after the
// frame; the panels themselves never touch the browser.
struct PageRequests {
    // Exports the panels offer: the table on screen as CSV, a chart as PNG.
    std::string table_csv;               // the current table, rebuilt by its panel every frame
    std::string table_name;
    ClickTarget chart_rect;              // the current chart, in canvas pixels
    std::string chart_name;
    bool export_png_requested = false;   // read the chart's pixels after this frame renders
    bool export_csv_requested = false;
    bool copy_link_requested = false;
    std::string requested_study;         // a study URL to load instead of this one

    // The page learns of each change once it is on screen and its layout has settled
    // (ImGui tables size their columns over the first frames), see main.cpp.
    std::optional<PageFacts> published;   // as last told
    int revision = 0;
    std::map<std::string, ClickTarget> targets;       // recorded by this frame's widgets
    std::map<std::string, ClickTarget> last_targets;  // ... and by the previous frame's
    std::string focused_target;  // the recorded widget with keyboard focus this frame, if any
};

struct AppState {
    StudySession session;
    ViewState view;
    PageRequests page;

    std::uint64_t load = 0;  // counts study loads begun; a download of an older one is ignored
    std::uint64_t study_scans = 0;  // passes over the generation columns made so far (see StudyFacts)
    // Training off the page's thread: trainer_bridge.cpp hands a request to the trainer
    // worker (trainer.cpp) and returns true; the confidences come back later to
    // FinishRouterRun. Unset (the native smoke test) or false, the run trains in place.
    std::function<bool(const RouterRequest&)> train_elsewhere;

    static constexpr int decomposition_resamples = 200;
    static constexpr int summary_resamples = 200;
};

// Unpacks and indexes a study, then reports the naive protocol. Failures (a foreign
// file, a truncated pack, a protocol the study cannot support) become state.error;
// nothing throws out of here. `initial_protocol`, if not empty, is applied after.
void LoadStudy(AppState& state, std::span<const std::uint8_t> bytes, const std::string& initial_protocol = {});
void FailLoading(AppState& state, std::string message);
// Forgets the loaded study and everything computed from it, ready for another.
void ResetStudy(AppState& state, std::string url);
// What the page would be told now (`working`: background work remains).
PageFacts PageFactsOf(const AppState& state, bool working);

// headroom::cost_per_query(study, budget), computed once per study and budget.
const std::vector<double>& CostPerQuery(AppState& state, std::uint32_t budget);

// Makes `p` the shown protocol, computing its report unless it is cached. Returns false
// (and sets protocol_error, keeping the previous report) when the study cannot support it.
bool SetProtocol(AppState& state, const headroom::protocol& p);
// The report of `p`, computed and cached without showing it; null if the study refuses it.
const headroom::protocol_report* ReportFor(AppState& state, const headroom::protocol& p);
// Parses "key=value ..." as headroom::parse_protocol does, relative to the naive
// protocol (the same base as the CLI's --protocol), then SetProtocol.
bool SetProtocolText(AppState& state, const std::string& text);

// "naive" or "corrected" when `p` is one of the study's two named protocols, otherwise
// describe(p): the name the CLI gives `--protocol "<describe(p)>"`, so the two reports match.
std::string ProtocolName(const AppState& state, const headroom::protocol& p);
// The shown report as headroom::to_json would print it for a study_report holding
// exactly the shown protocol.
std::string ShownReportJson(const AppState& state);
// The decomposition as headroom::analyse() returns it (with decomposition_resamples),
// once every section is done.
std::optional<headroom::analysis> CompletedDecomposition(const AppState& state);
// ... as headroom::to_json(analysis) prints it; "null" before.
std::string DecompositionJson(const AppState& state);

// The detail of the shown protocol (empty until background work fills it).
const ProtocolDetail* ShownDetail(const AppState& state);
// The decomposition's "all" section once computed, else null.
const headroom::analysis_section* DecompositionAll(const AppState& state);

// The run of `router` over `features`, trained on `train`'s labels and tested on
// `test`'s: from the cache, or null after asking background work for it.
const RouterRun* RouterRunFor(AppState& state, headroom::router_kind router, headroom::feature_kind features,
                              const headroom::protocol& train, const headroom::protocol& test);
// The protocol the Routers tab trains on, and its run (tested on the shown protocol).
headroom::protocol RouterTrainProtocol(const AppState& state);
const RouterRun* ChosenRouterRun(AppState& state);
// The chosen run as headroom::to_json(route_report) prints it; "null" until computed.
std::string ChosenRouterJson(AppState& state);
// The Routers tab's choices as the address keeps them, "router:features:train:policy"
// (e.g. "kmeans:lsa:naive:argmax@p1-code"), and back; parts that do not parse keep the
// current choice and are named in router_view_error.
std::string RouterView(const AppState& state);
void ApplyRouterView(AppState& state, const std::string& view);

// Simulations of the Headroom tab's noise null (noise.h) for a study: the CLI's 100,
// fewer on a study of more than 200,000 generations. (The decomposition's are the
// core's default, as the CLI's.)
int NoiseSimulations(const headroom::study& s);

// A run the trainer worker trained: scored here (score_route) and cached, or its error
// kept in words. Keys no longer in router_training (another study since) are ignored.
void FinishRouterRun(AppState& state, const std::string& key, std::vector<headroom::confidence_matrix> confidences,
                     double ms, const std::string& error);

// Runs background work for about `budget_ms`: what the shown tab needs first. Router
// runs go to the trainer worker when there is one; in place, a run is one slice
// however long it takes (about 2.3 s for logistic on p2-artifacts). Returns true
// while work remains here (runs out in the worker are router_training).
bool RunBackgroundWork(AppState& state, double budget_ms);
