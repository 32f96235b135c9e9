#include "core/sim/text.h"

#include <array>
#include <string_view>

namespace headroom::sim {
namespace {

struct organ_system {
    std::string_view name;
    std::array<std::string_view, 6> diagnoses;
    std::array<std::string_view, 6> findings;
    std::array<std::string_view, 5> next_steps;
};

// Eight systems; the vignette's findings come from the system of the right diagnosis.
constexpr std::array<organ_system, 8> systems{{
    {"cardiology",
     {"acute pericarditis", "aortic stenosis", "hypertrophic cardiomyopathy", "stable angina", "infective endocarditis",
      "atrial fibrillation"},
     {"chest pain that improves when leaning forward", "a crescendo-decrescendo systolic murmur",
      "an irregularly irregular pulse", "exertional syncope", "splinter haemorrhages under the nails",
      "a friction rub at the left sternal border"},
     {"transthoracic echocardiography", "a 12-lead electrocardiogram", "serial troponin measurements",
      "blood cultures from three sites", "an exercise stress test"}},
    {"pulmonology",
     {"community-acquired pneumonia", "pulmonary embolism", "sarcoidosis", "asthma exacerbation",
      "spontaneous pneumothorax", "chronic obstructive pulmonary disease"},
     {"pleuritic chest pain after a long flight", "bilateral hilar lymphadenopathy", "expiratory wheeze",
      "absent breath sounds on one side", "dullness to percussion at the right base", "a barrel-shaped chest"},
     {"CT pulmonary angiography", "a chest radiograph", "spirometry with bronchodilator testing",
      "arterial blood gas analysis", "needle decompression"}},
    {"gastroenterology",
     {"acute cholecystitis", "celiac disease", "acute pancreatitis", "ulcerative colitis", "peptic ulcer disease",
      "appendicitis"},
     {"epigastric pain radiating to the back", "a positive Murphy sign", "bloody diarrhoea with urgency",
      "pain migrating to the right lower quadrant", "an itchy blistering rash on the elbows",
      "burning pain relieved by meals"},
     {"abdominal ultrasonography", "serum lipase measurement", "upper endoscopy with biopsy",
      "tissue transglutaminase antibody testing", "colonoscopy"}},
    {"nephrology",
     {"nephrotic syndrome", "acute tubular necrosis", "renal artery stenosis", "polycystic kidney disease",
      "acute interstitial nephritis", "obstructive uropathy"},
     {"periorbital oedema with frothy urine", "muddy brown granular casts", "a flank bruit",
      "bilateral palpable flank masses", "fever and rash after a new antibiotic", "a distended bladder"},
     {"urinalysis with microscopy", "renal ultrasonography", "a 24-hour urine protein collection",
      "stopping the offending drug", "bladder catheterisation"}},
    {"neurology",
     {"multiple sclerosis", "Guillain-Barre syndrome", "myasthenia gravis", "subarachnoid haemorrhage",
      "Parkinson disease", "migraine with aura"},
     {"ptosis that worsens through the day", "ascending weakness after a diarrhoeal illness",
      "a sudden thunderclap headache", "a resting pill-rolling tremor", "painful loss of vision in one eye",
      "zigzag lights before a unilateral headache"},
     {"non-contrast head CT", "MRI of the brain with contrast", "lumbar puncture",
      "acetylcholine receptor antibody testing", "nerve conduction studies"}},
    {"endocrinology",
     {"Graves disease", "primary hyperparathyroidism", "Cushing syndrome", "Addison disease",
      "diabetic ketoacidosis", "hypothyroidism"},
     {"heat intolerance with exophthalmos", "recurrent kidney stones and bone pain", "purple abdominal striae",
      "hyperpigmented skin creases", "fruity breath with rapid deep breathing", "cold intolerance and weight gain"},
     {"thyroid-stimulating hormone measurement", "serum calcium and parathyroid hormone levels",
      "a low-dose dexamethasone suppression test", "a cosyntropin stimulation test", "an intravenous insulin infusion"}},
    {"infectious disease",
     {"infectious mononucleosis", "Lyme disease", "bacterial meningitis", "malaria", "tuberculosis",
      "cellulitis"},
     {"an expanding target-shaped rash", "posterior cervical lymphadenopathy with fatigue", "neck stiffness and fever",
      "cyclic fevers after travel", "night sweats with haemoptysis", "a warm spreading area of red skin"},
     {"a heterophile antibody test", "thick and thin blood smears", "empirical intravenous antibiotics",
      "an interferon-gamma release assay", "serologic testing"}},
    {"hematology",
     {"iron deficiency anaemia", "vitamin B12 deficiency", "sickle cell crisis", "immune thrombocytopenia",
      "hereditary spherocytosis", "chronic lymphocytic leukaemia"},
     {"spoon-shaped nails", "numbness in the feet with a smooth tongue", "severe bone pain during dehydration",
      "petechiae after a viral illness", "jaundice with splenomegaly", "painless lymphadenopathy in an older adult"},
     {"a peripheral blood smear", "serum ferritin measurement", "bone marrow biopsy", "flow cytometry",
      "intravenous fluids and analgesia"}},
}};

template <class T, std::size_t N>
const T& pick(rng& r, const std::array<T, N>& items) {
    return items[static_cast<std::size_t>(r.below(N))];
}

} // namespace

drafted_query draft_clinical_query(rng& r) {
    drafted_query q;
    const organ_system& sys = pick(r, systems);
    q.subject = sys.name;
    const int age = 18 + static_cast<int>(r.below(70));
    const char* sex = r.bernoulli(0.5) ? "woman" : "man";
    const std::size_t f1 = r.below(sys.findings.size());
    std::size_t f2 = r.below(sys.findings.size() - 1);
    if (f2 >= f1) ++f2;
    const int pulse = 60 + static_cast<int>(r.below(60)), systolic = 100 + static_cast<int>(r.below(60));
    q.text = "A " + std::to_string(age) + "-year-old " + sex + " comes to the clinic with " +
             std::string(sys.findings[f1]) + ". Examination also shows " + std::string(sys.findings[f2]) +
             ". Pulse is " + std::to_string(pulse) + "/min and blood pressure is " + std::to_string(systolic) + "/" +
             std::to_string(60 + static_cast<int>(r.below(35))) + " mm Hg. ";
    // Two question types: the diagnosis, or the next step.
    std::vector<std::string_view> pool;
    if (r.bernoulli(0.6)) {
        q.text += "Which of the following is the most likely diagnosis?";
        q.property = "the most likely diagnosis";
        pool.assign(sys.diagnoses.begin(), sys.diagnoses.end());
    } else {
        q.text += "Which of the following is the most appropriate next step in management?";
        q.property = "the next step in management";
        pool.assign(sys.next_steps.begin(), sys.next_steps.end());
    }
    r.shuffle(std::span<std::string_view>(pool));
    for (std::size_t i = 0; i < 5 && i < pool.size(); ++i) q.options.emplace_back(pool[i]);
    q.gold_letter = static_cast<char>('A' + r.below(q.options.size()));
    for (std::size_t i = 0; i < q.options.size(); ++i)
        q.text += "\n" + std::string(1, static_cast<char>('A' + i)) + ". " + q.options[i];
    return q;
}

} // namespace headroom::sim
