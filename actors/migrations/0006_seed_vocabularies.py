"""The vocabularies as data: the entries that used to be fixed in code (same codes, same
labels), and every mechanism and factor of Kim et al. (2017), Table 2 ("Summary of roles,
degree and key mechanisms of convergence, and salient factors by different administrative
levels", BMC Public Health 17:161) that they lacked.

Kim's Table 2, by level, and the entries that hold it:
- state: developing guidelines (joint_guideline_or_sop); meetings to plan and review
  (joint_planning_meeting, review_meeting); (+) shared motivation/goals
  (shared_motivation), recognised leadership for coordination (recognised_leadership);
  (−) different priority actions (different_priorities), little data sharing
  (little_data_sharing), lack of accountability and feedback mechanisms (no_accountability).
- district: planning and review meetings, data sharing, joint training; (+) clear
  leadership (clear_leadership), mutual understanding of roles
  (mutual_understanding_of_roles); (−) narrow priority topics (narrow_priority_topics),
  low participation / poor attendance (low_participation), limited supervision
  (limited_supervision).
- block (kecamatan): planning and supervision (joint_supervision); (+) shared motivation;
  (−) lack of direction or guidelines (lack_of_guidelines), heavy workload
  (heavy_workload), inadequate resources (inadequate_resources), poor communication
  (poor_communication).
- village / frontline: delivery of services through village health and nutrition days
  (village_health_nutrition_day, the Posyandu) and home visits (joint_home_visits);
  (+) shared motivation, close interpersonal communication and vicinity
  (close_communication), understanding of roles and responsibilities; (−) unbalanced
  incentives (unbalanced_incentives).
Its text adds convergence meetings at block and village level (convergence_meeting),
joint monitoring (joint_monitoring) and shared registers and reports (shared_registers).
"""

from django.db import migrations

MECHANISM, FACILITATING, HINDERING = "mechanism", "facilitating_factor", "hindering_factor"

# (vocabulary, code, English label, Indonesian label), in each list's order.
TERMS = (
    (MECHANISM, "joint_planning_meeting", "Joint planning meeting", "Rapat perencanaan bersama"),
    (MECHANISM, "review_meeting", "Review meeting", "Rapat kaji ulang (review)"),
    (
        MECHANISM,
        "convergence_meeting",
        "Convergence meeting at kecamatan or village level (rembuk stunting, lokakarya mini)",
        "Rapat konvergensi di kecamatan atau desa (rembuk stunting, lokakarya mini)",
    ),
    (MECHANISM, "data_sharing", "Data sharing", "Berbagi data"),
    (
        MECHANISM,
        "shared_registers",
        "Shared registers and joint reporting",
        "Register dan pelaporan bersama",
    ),
    (MECHANISM, "joint_training", "Joint training", "Pelatihan bersama"),
    (MECHANISM, "joint_supervision", "Joint supervision", "Supervisi bersama"),
    (MECHANISM, "joint_monitoring", "Joint monitoring and evaluation", "Pemantauan dan evaluasi bersama"),
    (MECHANISM, "joint_service_delivery", "Joint service delivery", "Pelayanan bersama"),
    (
        MECHANISM,
        "village_health_nutrition_day",
        "Joint village health and nutrition day (Posyandu)",
        "Hari kesehatan dan gizi desa bersama (Posyandu)",
    ),
    (MECHANISM, "joint_home_visits", "Joint home visits", "Kunjungan rumah bersama"),
    (MECHANISM, "pooled_budget", "Pooled budget", "Anggaran gabungan"),
    (
        MECHANISM,
        "shared_staff_or_facilities",
        "Shared staff or facilities",
        "Berbagi tenaga atau sarana",
    ),
    (MECHANISM, "joint_guideline_or_sop", "Joint guideline or SOP", "Pedoman atau SOP bersama"),
    (MECHANISM, "mou_or_decree_team", "MoU or decree-based team", "MoU atau tim berdasarkan SK"),
    (
        FACILITATING,
        "leadership_commitment",
        "Commitment of the regional leadership",
        "Komitmen pimpinan daerah",
    ),
    (
        FACILITATING,
        "recognised_leadership",
        "Recognised leadership for coordination",
        "Kepemimpinan koordinasi yang diakui semua pihak",
    ),
    (FACILITATING, "clear_leadership", "Clear leadership", "Kepemimpinan yang jelas"),
    (FACILITATING, "shared_motivation", "Shared motivation and goals", "Motivasi dan tujuan bersama"),
    (
        FACILITATING,
        "mutual_understanding_of_roles",
        "Mutual understanding of roles and responsibilities",
        "Saling memahami peran dan tanggung jawab",
    ),
    (
        FACILITATING,
        "regulation",
        "A regulation or decree that assigns roles",
        "Peraturan atau SK yang menetapkan peran",
    ),
    (FACILITATING, "regular_forum", "A regular coordination forum", "Forum koordinasi rutin"),
    (FACILITATING, "shared_data_system", "A shared data system", "Sistem data bersama"),
    (
        FACILITATING,
        "budget_available",
        "Budget available for joint work",
        "Tersedia anggaran untuk kegiatan bersama",
    ),
    (
        FACILITATING,
        "working_relations",
        "Good working relations between staff",
        "Hubungan kerja yang baik antarpetugas",
    ),
    (
        FACILITATING,
        "close_communication",
        "Close interpersonal communication and proximity",
        "Komunikasi antarpribadi yang erat dan jarak yang dekat",
    ),
    (
        FACILITATING,
        "partner_support",
        "Support from development partners",
        "Dukungan mitra pembangunan",
    ),
    (
        HINDERING,
        "sectoral_ego",
        "Sectoral ego, working in silos",
        "Ego sektoral, bekerja sendiri-sendiri",
    ),
    (
        HINDERING,
        "different_priorities",
        "Different priority actions between sectors",
        "Prioritas kegiatan antarsektor berbeda",
    ),
    (
        HINDERING,
        "narrow_priority_topics",
        "Narrow priority topics (health and disease only)",
        "Topik prioritas sempit (hanya kesehatan dan penyakit)",
    ),
    (
        HINDERING,
        "unclear_roles",
        "Roles and responsibilities unclear",
        "Peran dan tanggung jawab tidak jelas",
    ),
    (
        HINDERING,
        "lack_of_guidelines",
        "No direction or guidelines for coordination",
        "Tidak ada arahan atau pedoman koordinasi",
    ),
    (
        HINDERING,
        "mechanism_not_understood",
        "Coordination mechanism not understood",
        "Mekanisme koordinasi tidak dipahami",
    ),
    (
        HINDERING,
        "no_accountability",
        "No accountability or feedback mechanism",
        "Tidak ada mekanisme akuntabilitas dan umpan balik",
    ),
    (HINDERING, "limited_supervision", "Limited supervision", "Supervisi terbatas"),
    (
        HINDERING,
        "low_participation",
        "Low participation, poor attendance at meetings",
        "Partisipasi rendah, kehadiran dalam rapat kurang",
    ),
    (HINDERING, "poor_communication", "Poor communication", "Komunikasi yang kurang baik"),
    (HINDERING, "little_data_sharing", "Little data sharing", "Data jarang dibagikan"),
    (
        HINDERING,
        "data_not_integrated",
        "Sector data not integrated",
        "Data antarsektor tidak terintegrasi",
    ),
    (
        HINDERING,
        "budget_constraints",
        "Budget limited or not aligned",
        "Anggaran terbatas atau tidak selaras",
    ),
    (
        HINDERING,
        "inadequate_resources",
        "Inadequate resources (staff, facilities, supplies)",
        "Sumber daya tidak memadai (tenaga, sarana, logistik)",
    ),
    (HINDERING, "heavy_workload", "Heavy workload", "Beban kerja berat"),
    (
        HINDERING,
        "unbalanced_incentives",
        "Unbalanced incentives between the sectors' workers",
        "Insentif antarpetugas lintas sektor tidak seimbang",
    ),
    (HINDERING, "staff_turnover", "Staff turnover and rotation", "Pergantian dan mutasi petugas"),
    (
        HINDERING,
        "overlapping_programmes",
        "Overlapping programmes (tumpang tindih)",
        "Program yang tumpang tindih",
    ),
    (HINDERING, "distance_and_access", "Distance and access", "Jarak dan akses"),
)


def seed_terms(term_model) -> int:
    """Add the terms that are missing (by vocabulary and code); returns how many."""
    existing = set(term_model.objects.values_list("vocabulary", "code"))
    order: dict[str, int] = {}
    missing = []
    for vocabulary, code, label_en, label_id in TERMS:
        order[vocabulary] = order.get(vocabulary, 0) + 10
        if (vocabulary, code) not in existing:
            missing.append(
                term_model(
                    vocabulary=vocabulary,
                    code=code,
                    label_en=label_en,
                    label_id=label_id,
                    sort_order=order[vocabulary],
                )
            )
    term_model.objects.bulk_create(missing)
    return len(missing)


def seed(apps, schema_editor):
    seed_terms(apps.get_model("actors", "VocabularyTerm"))


def unseed(apps, schema_editor):
    apps.get_model("actors", "VocabularyTerm").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0005_vocabulary_terms"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
